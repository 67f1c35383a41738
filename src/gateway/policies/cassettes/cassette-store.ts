// A directory of cassette files, indexed by normalized request. The index is built on first use and rebuilt
// on a miss (files recorded by another process or edited by hand are found without a restart); a hit reads
// its file again, so an edited answer replays as edited.
import { mkdir, readdir, readFile, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { asCassette, CASSETTE_VERSION, type CassetteFile, type CassetteResponse } from "./cassette-file.js";
import { canonicalJson, normalizeRequest, requestKey, type CassetteRequest } from "./normalize-request.js";
import { formatCassette } from "./format-cassette.js";
import type { Scrub } from "./scrub-secrets.js";

const slug = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 120) || "_";

export class CassetteStore {
  readonly dir: string;
  private index?: Map<string, string>;
  private scanning?: Promise<Map<string, string>>;

  constructor(dir: string, private readonly scrub: Scrub) {
    this.dir = resolve(dir);
  }

  normalize(request: CassetteRequest): { normalized: CassetteRequest; key: string } {
    const normalized = normalizeRequest(request, this.scrub);
    return { normalized, key: requestKey(normalized) };
  }

  /**
   * The cassette recorded for this request, if any. `rescan`: look at the directory again before missing
   * (replay, where a miss fails the call; auto mode records instead, so it trusts its index).
   */
  async find(request: CassetteRequest, opts: { rescan: boolean }): Promise<CassetteFile | undefined> {
    const { key } = this.normalize(request);
    let path = (this.index ?? (await this.scan())).get(key);
    if (!path && opts.rescan) path = (await this.scan()).get(key);
    if (!path) return undefined;
    try {
      return asCassette(JSON.parse(await readFile(path, "utf8")));
    } catch {
      return undefined;
    }
  }

  /** Writes (or overwrites) the cassette of this request; returns its path. */
  async save(request: CassetteRequest, response: CassetteResponse): Promise<string> {
    const { normalized, key } = this.normalize(request);
    const file: CassetteFile = {
      basaltCassette: CASSETTE_VERSION,
      recordedAt: new Date().toISOString(),
      // Matching uses the canonical form; the file lists the members in the order a reader wants them.
      request: { call: normalized.call, model: normalized.model, action: normalized.action, headers: normalized.headers, body: normalized.body },
      response: this.scrub(response),
    };
    const dir = join(this.dir, slug(normalized.model));
    const path = join(dir, `${normalized.call}-${key}.json`);
    await mkdir(dir, { recursive: true });
    // Written aside and renamed, so a concurrent replay never reads half a file.
    const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
    await writeFile(tmp, formatCassette(file));
    await rename(tmp, path);
    (this.index ??= new Map()).set(key, path);
    return path;
  }

  /** How a miss names the request: the call, the model and the normalized body (cut to a readable length). */
  describe(request: CassetteRequest): string {
    const { normalized, key } = this.normalize(request);
    let body = canonicalJson({ ...(normalized.action ? { action: normalized.action } : {}), body: normalized.body });
    if (body.length > 600) body = `${body.slice(0, 600)}…`;
    return `${normalized.call} ${normalized.model} (key ${key}) ${body}`;
  }

  private scan(): Promise<Map<string, string>> {
    this.scanning ??= this.readIndex().then((index) => {
      this.index = index;
      this.scanning = undefined;
      return index;
    });
    return this.scanning;
  }

  private async readIndex(): Promise<Map<string, string>> {
    const index = new Map<string, string>();
    let entries: string[];
    try {
      entries = (await readdir(this.dir, { recursive: true })).filter((f) => f.endsWith(".json"));
    } catch {
      return index;
    }
    for (const entry of entries.sort()) {
      const path = join(this.dir, entry);
      try {
        const file = asCassette(JSON.parse(await readFile(path, "utf8")));
        if (file) index.set(this.normalize(file.request).key, path);
      } catch {
        // Not JSON, or not ours: a cassette directory may hold other files.
      }
    }
    return index;
  }
}
