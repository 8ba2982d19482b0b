/**
 * Configuration versions in the service database. Every write is one transaction that takes the
 * `config_state` row lock first, so version numbers are gap-free and follow commit order (a
 * watcher that has seen version N has seen every change up to N), then checks the writer's
 * expected version of the source (optimistic concurrency: a stale write changes nothing).
 */
import type { Kysely } from 'kysely';
import type { ConfigDocument } from '../model/document.js';
import { EMPTY_DOCUMENT } from '../model/document.js';
import type { DiffEntry } from '../model/diff.js';
import type { SourceId } from '../names.js';
import type { ConfigTables, ConfigVersionRow } from './tables.js';

export interface VersionRecord {
  version: number;
  app: string;
  profile: string;
  kind: 'set' | 'rollback' | 'seed';
  restores: number | null;
  author: string;
  message: string;
  createdAt: string;
  document: ConfigDocument;
  diff: DiffEntry[];
}

export interface SourceHead {
  app: string;
  profile: string;
  version: number;
}

/** The writer expected another version of the source. */
export class VersionConflict extends Error {
  constructor(
    readonly expected: number,
    readonly current: number,
  ) {
    super(`expected version ${expected}, but the current version is ${current}`);
    this.name = 'VersionConflict';
  }
}

export interface PreparedChange {
  document: ConfigDocument;
  diff: DiffEntry[];
  kind: VersionRecord['kind'];
  restores?: number;
}

export interface CommitOptions {
  source: SourceId;
  expectedVersion: number;
  author: string;
  message: string;
  /** Builds the new document from the current one; may read other sources (same transaction) and throw to refuse. */
  prepare(
    current: { version: number; document: ConfigDocument },
    reader: ConfigStore,
  ): Promise<PreparedChange>;
}

function toRecord(row: ConfigVersionRow): VersionRecord {
  return {
    version: Number(row.version),
    app: row.app,
    profile: row.profile,
    kind: row.kind as VersionRecord['kind'],
    restores: row.restores === null ? null : Number(row.restores),
    author: row.author,
    message: row.message,
    createdAt: row.created_at,
    document: JSON.parse(row.document) as ConfigDocument,
    diff: JSON.parse(row.diff) as DiffEntry[],
  };
}

export class ConfigStore {
  constructor(readonly db: Kysely<ConfigTables>) {}

  async latest(): Promise<number> {
    const row = await this.db
      .selectFrom('config_state')
      .select('latest')
      .where('id', '=', 1)
      .executeTakeFirst();
    return Number(row?.latest ?? 0);
  }

  async head(source: SourceId): Promise<number> {
    const row = await this.db
      .selectFrom('config_heads')
      .select('version')
      .where('app', '=', source.app)
      .where('profile', '=', source.profile)
      .executeTakeFirst();
    return Number(row?.version ?? 0);
  }

  async heads(): Promise<SourceHead[]> {
    const rows = await this.db
      .selectFrom('config_heads')
      .selectAll()
      .orderBy('app')
      .orderBy('profile')
      .execute();
    return rows.map((r) => ({ app: r.app, profile: r.profile, version: Number(r.version) }));
  }

  /** The source's current document (empty, version 0, when it was never written). */
  async current(
    source: SourceId,
  ): Promise<{ version: number; document: ConfigDocument; createdAt?: string }> {
    const version = await this.head(source);
    if (version === 0) return { version, document: EMPTY_DOCUMENT };
    const record = await this.version(version);
    if (!record) throw new Error(`config head ${version} has no version row`);
    return { version, document: record.document, createdAt: record.createdAt };
  }

  async version(version: number): Promise<VersionRecord | undefined> {
    const row = await this.db
      .selectFrom('config_versions')
      .selectAll()
      .where('version', '=', version)
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** Newest first. */
  async history(options: { source?: SourceId; limit: number; before?: number }): Promise<VersionRecord[]> {
    let query = this.db.selectFrom('config_versions').selectAll();
    if (options.source)
      query = query.where('app', '=', options.source.app).where('profile', '=', options.source.profile);
    if (options.before !== undefined) query = query.where('version', '<', options.before);
    const rows = await query.orderBy('version', 'desc').limit(options.limit).execute();
    return rows.map(toRecord);
  }

  async commit(options: CommitOptions): Promise<VersionRecord> {
    const { source } = options;
    return this.db.transaction().execute(async (trx) => {
      // The row lock serializes writers (PostgreSQL); SQLite runs one transaction at a time anyway.
      await trx
        .updateTable('config_state')
        .set((eb) => ({ latest: eb('latest', '+', 1) }))
        .where('id', '=', 1)
        .execute();
      const reader = new ConfigStore(trx);
      const version = await reader.latest();
      const current = await reader.current(source);
      if (current.version !== options.expectedVersion)
        throw new VersionConflict(options.expectedVersion, current.version);
      const change = await options.prepare(current, reader);
      const record: VersionRecord = {
        version,
        app: source.app,
        profile: source.profile,
        kind: change.kind,
        restores: change.restores ?? null,
        author: options.author,
        message: options.message,
        createdAt: new Date().toISOString(),
        document: change.document,
        diff: change.diff,
      };
      await trx
        .insertInto('config_versions')
        .values({
          version,
          app: source.app,
          profile: source.profile,
          kind: record.kind,
          restores: record.restores,
          author: record.author,
          message: record.message,
          created_at: record.createdAt,
          document: JSON.stringify(record.document),
          diff: JSON.stringify(record.diff),
        })
        .execute();
      if (current.version === 0)
        await trx
          .insertInto('config_heads')
          .values({ app: source.app, profile: source.profile, version })
          .execute();
      else
        await trx
          .updateTable('config_heads')
          .set({ version })
          .where('app', '=', source.app)
          .where('profile', '=', source.profile)
          .execute();
      return record;
    });
  }

  async schema(app: string): Promise<unknown> {
    const row = await this.db
      .selectFrom('config_schemas')
      .select('schema')
      .where('app', '=', app)
      .executeTakeFirst();
    return row ? (JSON.parse(row.schema) as unknown) : undefined;
  }

  async schemaApps(): Promise<string[]> {
    const rows = await this.db.selectFrom('config_schemas').select('app').orderBy('app').execute();
    return rows.map((r) => r.app);
  }

  async putSchema(app: string, schema: unknown): Promise<void> {
    const text = JSON.stringify(schema);
    const updatedAt = new Date().toISOString();
    await this.db
      .insertInto('config_schemas')
      .values({ app, schema: text, updated_at: updatedAt })
      .onConflict((oc) => oc.column('app').doUpdateSet({ schema: text, updated_at: updatedAt }))
      .execute();
  }
}
