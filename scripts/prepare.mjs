// `npm run prepare`: npm runs it after `npm ci`/`npm install` in a clone and before `npm pack`, so dist/ exists
// whichever way Basalt was installed.
//   - dev install (TypeScript present): the normal type-checked build;
//   - runtime-only install (`npm ci --omit=dev`, no TypeScript) and no dist/ yet: TypeScript is fetched once into
//     npm's cache (not into node_modules) and emits dist/ without type checking (the type check is CI's job,
//     and the emitted JavaScript does not depend on it); the @types packages are dev dependencies;
//   - dist/ already there (a Docker build stage copied it in, an unpacked release): nothing to do.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";

const root = new URL("..", import.meta.url);
const require = createRequire(import.meta.url);
let tsc;
try {
  tsc = require.resolve("typescript/bin/tsc");
} catch {
  tsc = undefined;
}

function run(command, args) {
  return spawnSync(command, args, { stdio: "inherit", cwd: root }).status ?? 1;
}

if (tsc) process.exit(run(process.execPath, [tsc, "-p", "tsconfig.json"]));
if (existsSync(new URL("dist/cli.js", root))) process.exit(0);

const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8"));
const typescript = `typescript@${pkg.devDependencies?.typescript ?? "5"}`;
process.stderr.write(`basalt: runtime-only install: building dist/ with ${typescript} from npm's cache (no type check)\n`);
// npm sets npm_execpath to its own CLI while it runs a script; `npm` on PATH otherwise.
const npm = process.env.npm_execpath;
const args = ["exec", "--yes", "--package", typescript, "--", "tsc", "-p", "tsconfig.json", "--noCheck"];
const status = npm ? run(process.execPath, [npm, ...args]) : run("npm", args);
if (status !== 0) {
  process.stderr.write(
    "basalt: could not build dist/. Build where the dev dependencies are, then drop them:\n" +
      "  npm ci && npm run build && npm prune --omit=dev\n" +
      "or install a packed release:  npm pack  (with dev dependencies), then  npm i -g ./basalt-*.tgz\n",
  );
}
process.exit(status);
