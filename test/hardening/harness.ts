// A Basalt started in this process from a YAML config (port 0, logs silent unless BASALT_LOG_LEVEL says
// otherwise), for the hardening tests that need small timeouts or many configurations. Tests that measure
// the server's responsiveness or memory start it as its own process instead (helpers/start-basalt.ts), so
// the test's own clients do not share its event loop.
import type { Basalt } from "../../src/app.js";
import { namesDataDir, testDataDir } from "../helpers/start-basalt.js";

process.env.BASALT_LOG_LEVEL ??= "silent";

/** Starts Basalt on a free loopback port with `yaml` (a `server:` block may add keys; port is forced to 0). */
export async function startInProcess(yaml: string): Promise<Basalt> {
  // Imported after the log level is set: the logger reads it once, at import.
  const { startBasalt } = await import("../../src/app.js");
  const { parseConfig } = await import("../../src/config/load-config.js");
  const config = parseConfig(yaml, "(test)");
  config.server.port = 0;
  if (!namesDataDir(yaml)) config.server.dataDir = testDataDir();
  return startBasalt(config);
}

/** Echo-backed ids whose prefix names their family. */
export const FAMILY_IDS = {
  nova: "amazon.nova-lite-v1:0",
  claude: "anthropic.claude-3-5-haiku-20241022-v1:0",
  titan: "amazon.titan-text-express-v1",
  llama: "meta.llama3-8b-instruct-v1:0",
  mistral: "mistral.mistral-7b-instruct-v0:2",
  mistralChat: "mistral.mistral-large-2407-v1:0",
  cohere: "cohere.command-r-v1:0",
  openai: "openai.gpt-oss-20b-1:0",
} as const;

/** The models: lines serving every family on echo. */
export const ECHO_FAMILIES_YAML = `models:
  - { id: basalt.echo, provider: echo }
${Object.values(FAMILY_IDS).map((id) => `  - { id: "${id}", provider: echo }`).join("\n")}
`;

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
