// Defaults the CLI's help and the server share; kept here so `basalt --help` need not load the server.
import { readFileSync } from "node:fs";

export const DEFAULT_PORT = 4599;
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;
export const VERSION: string = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;
