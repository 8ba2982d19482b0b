/** The config server's tables (Kysely types). */

export interface ConfigStateRow {
  id: number;
  /** The newest version number; bumped by every write under a row lock, so versions are gap-free and commit-ordered. */
  latest: number;
}

export interface ConfigVersionRow {
  version: number;
  app: string;
  profile: string;
  /** `set`, `rollback` or `seed`. */
  kind: string;
  /** For a rollback: the version whose document it restores. */
  restores: number | null;
  author: string;
  message: string;
  created_at: string;
  /** JSON `ConfigDocument` (secrets as envelopes). */
  document: string;
  /** JSON `DiffEntry[]` against the previous version of the same source, secrets masked. */
  diff: string;
}

export interface ConfigHeadRow {
  app: string;
  profile: string;
  version: number;
}

export interface ConfigSchemaRow {
  app: string;
  schema: string;
  updated_at: string;
}

export interface ConfigTables {
  config_state: ConfigStateRow;
  config_versions: ConfigVersionRow;
  config_heads: ConfigHeadRow;
  config_schemas: ConfigSchemaRow;
}
