// `npm run prepare`: npm runs it after `npm ci`/`npm install` in a clone and before `npm pack`. It builds dist/
// with tsc when the dev dependencies are installed. A runtime-only install (`npm ci --omit=dev`) has no tsc:
// failing there would abort the whole install, so say what to do instead and succeed (README, "Production install").
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let tsc;
try {
  tsc = require.resolve("typescript/bin/tsc");
} catch {
  tsc = undefined;
}

if (tsc) {
  const run = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json"], { stdio: "inherit" });
  process.exit(run.status ?? 1);
}
if (!existsSync(new URL("../dist/cli.js", import.meta.url))) {
  process.stderr.write(
    "basalt: dist/ is not built and TypeScript is not installed (a runtime-only install), so nothing was built.\n" +
      "  Build where the dev dependencies are, then drop them:  npm ci && npm run build && npm prune --omit=dev\n" +
      "  or install a packed release:  npm pack  (on a machine with dev dependencies), then  npm i -g ./basalt-*.tgz\n",
  );
}
