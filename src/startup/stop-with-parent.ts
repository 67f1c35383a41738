// Under `npm start` the process tree is npm → sh → node (dash does not exec a lone command; Windows has cmd).
// SIGTERM to npm — what `npm start & kill $!`, containers and systemd send — is passed to the shell, which dies
// of it without passing it on, and node would run on as an orphan holding the port. So when run by a package
// manager's script runner (npm, npx) and that parent goes away, stop as if signalled. Not otherwise:
// `nohup node dist/cli.js &` from a shell that then exits must keep running.
import { readFileSync } from "node:fs";

const POLL_MS = 250;

/** Whether the process that started us is gone: we were re-parented (Linux), or it no longer exists. */
function parentGone(parent: number): boolean {
  try {
    // /proc/self/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses, so split after the last ')'.
    const stat = readFileSync("/proc/self/stat", "latin1");
    return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) !== parent;
  } catch {
    try {
      // Signal 0 only tests that the process exists.
      process.kill(parent, 0);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === "ESRCH";
    }
  }
}

export function stopWithParent(stop: (reason: string) => void, env: NodeJS.ProcessEnv = process.env): void {
  if (!env.npm_lifecycle_event) return;
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (!parentGone(parent)) return;
    clearInterval(timer);
    stop("parent process exited");
  }, POLL_MS);
  timer.unref();
}
