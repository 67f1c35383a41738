// Structured logs on stderr-friendly stdout (pino). Never log secrets: provider configs are not logged.
import { pino } from "pino";

export const log = pino({
  level: process.env.BASALT_LOG_LEVEL ?? "info",
  base: undefined,
  redact: ["apiKey", "*.apiKey", "headers.authorization", "*.headers.authorization"],
});
