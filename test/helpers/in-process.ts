// Basalt started inside the test process (src/app.ts startBasalt) on 127.0.0.1 and a free port: the same
// server the CLI runs, minus a process of its own. For every test that talks to Basalt over loopback but
// does not check the CLI itself (flags, signals, exit codes, start-up, its stdout logs): those spawn
// dist/cli.js through start-basalt.ts.
import { startBasalt as startApp, type Basalt, type StartOptions } from "../../src/app.js";
import { parseConfig } from "../../src/config/load-config.js";
import { log } from "../../src/log.js";
import { namesDataDir, testDataDir } from "./start-basalt.js";

// The server's logs would land in the test runner's output; a test that reads logs spawns the CLI instead.
log.level = process.env.BASALT_TEST_LOG_LEVEL ?? "silent";

export interface InProcessBasalt {
  url: string;
  port: number;
  /** The running app, for tests that plug into its doors or read its registry. */
  app: Basalt;
  /**
   * Graceful stop, as SIGTERM does it. Resolves with the exit code the CLI would give: 0 after a clean stop,
   * 1 when stopping failed (what the CLI's signal handler maps the same outcomes to).
   */
  stop(): Promise<number>;
}

export interface InProcessOptions extends StartOptions {
  /** basalt.yaml text; without it, the defaults (basalt.echo). `${VAR}`s are read from `env`. */
  config?: string;
  /** Variables for `${VAR}` in the config, on top of the process environment. */
  env?: NodeJS.ProcessEnv;
}

export async function startInProcess(opts: InProcessOptions = {}): Promise<InProcessBasalt> {
  const config = parseConfig(opts.config ?? "{}", "(test config)", { ...process.env, ...opts.env });
  config.server.port = 0;
  config.server.host ??= "127.0.0.1";
  // This test file's own directory unless the config names one (see testDataDir).
  if (!namesDataDir(opts.config ?? "")) config.server.dataDir = testDataDir();
  const app = await startApp(config, opts);
  return {
    url: app.url,
    port: app.server.port,
    app,
    stop: () => app.stop().then(() => 0, () => 1),
  };
}
