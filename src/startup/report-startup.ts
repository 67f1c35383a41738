// What start-up tells the operator besides "listening": a config that serves nothing, and — when no backend is
// configured — what this machine could serve (discover-backends.ts).
import type { BasaltConfig } from "../config/schema.js";
import { log } from "../log.js";
import type { ConfigSource } from "./cli-options.js";
import { reportDiscoveredBackends } from "./discover-backends.js";

export function reportStartup(config: BasaltConfig, configFile: ConfigSource | undefined): void {
  if (config.models !== undefined && config.models.length === 0) {
    log.warn(
      { configFile: configFile?.path },
      "models: [] — this server serves no models: every model call is answered ResourceNotFoundException. " +
        "List models under models:, or remove the key to serve basalt.echo",
    );
    return;
  }
  void reportDiscoveredBackends(config, { configFile });
}
