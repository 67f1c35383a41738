// The `cassettes:` key, on a provider (every model it serves) or on one model entry:
//   cassettes: { mode: record | replay | auto, dir: ./cassettes, pacing: none | recorded }
import { z } from "zod";

export const cassetteConfigSchema = z
  .object({
    /** record: always call the backend and (over)write the cassette; replay: never call it, a miss is an
     *  error; auto: replay when a cassette matches, else call the backend and record. */
    mode: z.enum(["record", "replay", "auto"]),
    /** Directory of the cassette files (created when recording). Relative paths resolve from the working directory. */
    dir: z.string().min(1).default("./cassettes"),
    /** Replayed streams: `none` sends events at once, `recorded` keeps the recorded gaps between them. */
    pacing: z.enum(["none", "recorded"]).default("none"),
  })
  .strict();

export type CassetteConfig = z.output<typeof cassetteConfigSchema>;
export type CassetteMode = CassetteConfig["mode"];
