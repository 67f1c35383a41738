// readCli's precedence for the settings that have no flag: the environment beats the config file.
import assert from "node:assert/strict";
import { it } from "node:test";
import { readCli } from "../../src/startup/cli-options.js";
import { writeConfig } from "../helpers/start-basalt.js";

it("BASALT_DATA_DIR beats server.dataDir; without it the file's value stays", () => {
  const config = writeConfig("server: { dataDir: /var/lib/from-file }\n");
  const serve = (env: NodeJS.ProcessEnv) => {
    const action = readCli(["--config", config], env, false);
    assert.equal(action.kind, "serve");
    return action.kind === "serve" ? action.config.server.dataDir : undefined;
  };
  assert.equal(serve({ BASALT_DATA_DIR: "/tmp/from-env" }), "/tmp/from-env");
  assert.equal(serve({}), "/var/lib/from-file");
  assert.equal(serve({ BASALT_DATA_DIR: "" }), "/var/lib/from-file");
});
