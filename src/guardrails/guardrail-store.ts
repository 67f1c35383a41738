// Guardrails, stored durably (SqlDatabase: SQLite by default, Postgres when configured) plus the read-only ones
// from the config file, behind one interface: every path (control plane, ApplyGuardrail, Converse…) reads here.
// Versions as Bedrock has them: a mutable DRAFT, then frozen numbered versions 1, 2, … (numbers never reused).
// Every guardrail is READY as soon as it is written (Bedrock passes through CREATING/UPDATING/VERSIONING; a
// local store has nothing to wait for, and clients that poll for READY see it on their first poll).
import { BedrockError } from "../core/errors.js";
import type { SqlDatabase } from "../storage/sql-database.js";
import { compileGuardrail, type CompiledGuardrail } from "./compile-guardrail.js";
import type { GuardrailConfigEntry } from "./guardrail-config.js";
import type { GuardrailDefinition, GuardrailVersionRecord } from "./guardrail-definition.js";
import { guardrailArn, guardrailIdOf, newGuardrailId } from "./guardrail-identifier.js";
import { GUARDRAIL_MIGRATIONS } from "./guardrail-migrations.js";

export interface GuardrailStoreOptions {
  readonly db: SqlDatabase;
  readonly configGuardrails?: readonly GuardrailConfigEntry[];
  /** Region and account written into ARNs (defaults: us-east-1, 000000000000). */
  readonly region?: string;
  readonly accountId?: string;
  readonly now?: () => number;
  readonly newId?: () => string;
}

export interface ListGuardrailsOptions { identifier?: string; maxResults?: number; nextToken?: string }

/** Page size when ListGuardrails gives no maxResults. */
export const DEFAULT_PAGE_SIZE = 100;
const COMPILED_CACHE_SIZE = 256;

type GuardrailRow = {
  id: string; name: string; definition: string; tags: string | null; client_token: string | null;
  last_version: number | string; created_at: number | string; updated_at: number | string;
};
type VersionRow = {
  guardrail_id: string; version: number | string; description: string | null; definition: string;
  client_token: string | null; created_at: number | string;
};

export const notFound = (identifier: string, version?: string): BedrockError =>
  new BedrockError("ResourceNotFoundException", version && version !== "DRAFT"
    ? `Could not find version ${version} of guardrail with id ${identifier}`
    : `Could not find guardrail with id ${identifier}`);

const readOnly = (id: string): BedrockError =>
  new BedrockError("ValidationException", `Guardrail ${id} is defined in the Basalt config file and is read-only; change it there.`);

export class GuardrailStore {
  private readonly region: string;
  private readonly accountId: string;
  private readonly now: () => number;
  private readonly newId: () => string;
  private readonly config = new Map<string, GuardrailConfigEntry>();
  private readonly loadedAt: number;
  private readonly compiledCache = new Map<string, CompiledGuardrail>();

  private constructor(private readonly db: SqlDatabase, opts: GuardrailStoreOptions) {
    this.region = opts.region ?? "us-east-1";
    this.accountId = opts.accountId ?? "000000000000";
    this.now = opts.now ?? Date.now;
    this.newId = opts.newId ?? newGuardrailId;
    this.loadedAt = this.now();
    for (const entry of opts.configGuardrails ?? []) this.config.set(entry.id, entry);
  }

  static async open(opts: GuardrailStoreOptions): Promise<GuardrailStore> {
    await opts.db.migrate(GUARDRAIL_MIGRATIONS);
    return new GuardrailStore(opts.db, opts);
  }

  arnOf(id: string): string {
    return guardrailArn(this.region, this.accountId, id);
  }

  async create(definition: GuardrailDefinition, opts: { clientRequestToken?: string; tags?: unknown } = {}): Promise<GuardrailVersionRecord> {
    if (opts.clientRequestToken) {
      const [earlier] = await this.db.query<GuardrailRow>("SELECT * FROM guardrails WHERE client_token = $1", [opts.clientRequestToken]);
      if (earlier) return this.draftRecord(earlier);
    }
    await this.assertNameFree(definition.name);
    let id = this.newId();
    while (this.config.has(id)) id = this.newId();
    const at = this.now();
    try {
      await this.db.execute(
        "INSERT INTO guardrails (id, name, definition, tags, client_token, last_version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $6)",
        [id, definition.name, JSON.stringify(definition), opts.tags ? JSON.stringify(opts.tags) : null, opts.clientRequestToken ?? null, at],
      );
    } catch (err) {
      // Two creates with one name racing: the unique index decides.
      if (await this.nameTaken(definition.name)) throw nameConflict(definition.name);
      throw err;
    }
    return this.record(id, "DRAFT", "api", at, at, definition);
  }

  /** One version (default DRAFT) of a guardrail by id or ARN; ResourceNotFoundException when absent. */
  async get(identifier: string, version = "DRAFT"): Promise<GuardrailVersionRecord> {
    const found = await this.find(identifier, version);
    if (!found) throw await this.missing(identifier, version);
    return found;
  }

  /**
   * The ResourceNotFoundException for a version that was not found: it names the version only when the
   * guardrail itself exists, so an unknown id reads "Could not find guardrail with id …" whatever version came.
   */
  async missing(identifier: string, version: string): Promise<BedrockError> {
    const exists = version !== "DRAFT" && (await this.find(identifier, "DRAFT")) !== undefined;
    return notFound(identifier, exists ? version : undefined);
  }

  /** Like get, but undefined when absent (runtime paths answer with their own error). */
  async find(identifier: string, version = "DRAFT"): Promise<GuardrailVersionRecord | undefined> {
    const id = guardrailIdOf(identifier);
    if (!id) return undefined;
    const configured = this.config.get(id);
    if (configured) {
      return version === "DRAFT" || version === "1" ? this.configRecord(configured, version) : undefined;
    }
    const [row] = await this.db.query<GuardrailRow>("SELECT * FROM guardrails WHERE id = $1", [id]);
    if (!row) return undefined;
    if (version === "DRAFT") return this.draftRecord(row);
    if (!/^[1-9][0-9]{0,7}$/.test(version)) return undefined;
    const [v] = await this.db.query<VersionRow>(
      "SELECT * FROM guardrail_versions WHERE guardrail_id = $1 AND version = $2", [id, Number(version)]);
    return v ? this.versionRecord(row, v) : undefined;
  }

  /**
   * Without an identifier, the DRAFT of every guardrail; with one, every version of that guardrail (DRAFT
   * first). Pages of maxResults (default 100) with an opaque nextToken.
   */
  async list(opts: ListGuardrailsOptions = {}): Promise<{ guardrails: GuardrailVersionRecord[]; nextToken?: string }> {
    let all: GuardrailVersionRecord[];
    if (opts.identifier !== undefined) {
      const id = guardrailIdOf(opts.identifier);
      const configured = id ? this.config.get(id) : undefined;
      if (configured) all = [this.configRecord(configured, "DRAFT"), this.configRecord(configured, "1")];
      else {
        const [row] = id ? await this.db.query<GuardrailRow>("SELECT * FROM guardrails WHERE id = $1", [id]) : [];
        if (!row) throw notFound(opts.identifier);
        const versions = await this.db.query<VersionRow>(
          "SELECT * FROM guardrail_versions WHERE guardrail_id = $1 ORDER BY version", [row.id]);
        all = [this.draftRecord(row), ...versions.map((v) => this.versionRecord(row, v))];
      }
    } else {
      const rows = await this.db.query<GuardrailRow>("SELECT * FROM guardrails ORDER BY created_at, id");
      all = [...[...this.config.values()].map((c) => this.configRecord(c, "DRAFT")), ...rows.map((r) => this.draftRecord(r))];
    }
    const offset = opts.nextToken ? decodeToken(opts.nextToken) : 0;
    const size = opts.maxResults ?? DEFAULT_PAGE_SIZE;
    const page = all.slice(offset, offset + size);
    return { guardrails: page, nextToken: offset + size < all.length ? encodeToken(offset + size) : undefined };
  }

  /** Replaces the DRAFT's definition as a whole (UpdateGuardrail is a full replacement, not a patch). */
  async update(identifier: string, definition: GuardrailDefinition): Promise<GuardrailVersionRecord> {
    const row = await this.mutableRow(identifier);
    if (definition.name !== row.name) await this.assertNameFree(definition.name);
    const at = Math.max(this.now(), Number(row.updated_at));
    await this.db.execute("UPDATE guardrails SET name = $2, definition = $3, updated_at = $4 WHERE id = $1",
      [row.id, definition.name, JSON.stringify(definition), at]);
    return this.record(row.id, "DRAFT", "api", Number(row.created_at), at, definition);
  }

  /** Deletes the guardrail with all its versions, or only one numbered version. */
  async delete(identifier: string, version?: string): Promise<void> {
    const row = await this.mutableRow(identifier);
    if (version === undefined) {
      await this.db.transaction(async (tx) => {
        await tx.execute("DELETE FROM guardrail_versions WHERE guardrail_id = $1", [row.id]);
        await tx.execute("DELETE FROM guardrails WHERE id = $1", [row.id]);
      });
      return;
    }
    const changed = await this.db.execute("DELETE FROM guardrail_versions WHERE guardrail_id = $1 AND version = $2", [row.id, Number(version)]);
    if (changed === 0) throw notFound(identifier, version);
  }

  /** Freezes the DRAFT as the next numbered version. */
  async createVersion(identifier: string, opts: { description?: string; clientRequestToken?: string } = {}): Promise<GuardrailVersionRecord> {
    const row = await this.mutableRow(identifier);
    return this.db.transaction(async (tx) => {
      if (opts.clientRequestToken) {
        const [earlier] = await tx.query<VersionRow>(
          "SELECT * FROM guardrail_versions WHERE guardrail_id = $1 AND client_token = $2", [row.id, opts.clientRequestToken]);
        if (earlier) return this.versionRecord(row, earlier);
      }
      await tx.execute("UPDATE guardrails SET last_version = last_version + 1 WHERE id = $1", [row.id]);
      const [current] = await tx.query<GuardrailRow>("SELECT * FROM guardrails WHERE id = $1", [row.id]);
      const version = Number(current.last_version);
      const at = this.now();
      const v: VersionRow = {
        guardrail_id: row.id, version, description: opts.description ?? null, definition: current.definition,
        client_token: opts.clientRequestToken ?? null, created_at: at,
      };
      await tx.execute(
        "INSERT INTO guardrail_versions (guardrail_id, version, description, definition, client_token, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        [v.guardrail_id, version, v.description, v.definition, v.client_token, at]);
      return this.versionRecord(current, v);
    });
  }

  /** The compiled form of a version, built once and cached (by id, version and last change). */
  compiled(record: GuardrailVersionRecord): CompiledGuardrail {
    const key = `${record.id}:${record.version}:${record.updatedAt}`;
    let compiled = this.compiledCache.get(key);
    if (!compiled) {
      if (this.compiledCache.size >= COMPILED_CACHE_SIZE) this.compiledCache.clear();
      compiled = compileGuardrail(record.definition);
      this.compiledCache.set(key, compiled);
    }
    return compiled;
  }

  private async mutableRow(identifier: string): Promise<GuardrailRow> {
    const id = guardrailIdOf(identifier);
    if (id && this.config.has(id)) throw readOnly(id);
    const [row] = id ? await this.db.query<GuardrailRow>("SELECT * FROM guardrails WHERE id = $1", [id]) : [];
    if (!row) throw notFound(identifier);
    return row;
  }

  private async nameTaken(name: string): Promise<boolean> {
    if ([...this.config.values()].some((c) => c.definition.name === name)) return true;
    const rows = await this.db.query("SELECT id FROM guardrails WHERE name = $1", [name]);
    return rows.length > 0;
  }

  private async assertNameFree(name: string): Promise<void> {
    if (await this.nameTaken(name)) throw nameConflict(name);
  }

  private record(id: string, version: string, origin: "api" | "config", createdAt: number, updatedAt: number,
    definition: GuardrailDefinition, description = definition.description): GuardrailVersionRecord {
    return { id, arn: this.arnOf(id), version, status: "READY", origin, createdAt, updatedAt, description, definition };
  }

  private draftRecord(row: GuardrailRow): GuardrailVersionRecord {
    return this.record(row.id, "DRAFT", "api", Number(row.created_at), Number(row.updated_at), JSON.parse(row.definition));
  }

  private versionRecord(row: GuardrailRow, v: VersionRow): GuardrailVersionRecord {
    const definition: GuardrailDefinition = JSON.parse(v.definition);
    return this.record(row.id, String(v.version), "api", Number(v.created_at), Number(v.created_at), definition,
      v.description ?? definition.description);
  }

  private configRecord(entry: GuardrailConfigEntry, version: string): GuardrailVersionRecord {
    return this.record(entry.id, version, "config", this.loadedAt, this.loadedAt, entry.definition);
  }
}

const nameConflict = (name: string) => new BedrockError("ConflictException", `A guardrail with the name '${name}' already exists.`);

function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString("base64url");
}

function decodeToken(token: string): number {
  try {
    const { offset } = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { offset?: unknown };
    if (typeof offset === "number" && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through
  }
  throw new BedrockError("ValidationException", "The nextToken is invalid.");
}
