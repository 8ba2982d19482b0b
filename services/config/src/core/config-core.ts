/**
 * What the config server does, independent of HTTP: effective configuration per application and
 * profile, validated writes, rollbacks and diffs over the versioned store.
 */
import { diffDocuments, type DiffEntry } from '../model/diff.js';
import {
  deletePath,
  flatten,
  isValidKey,
  setPath,
  type ConfigDocument,
  type Values,
} from '../model/document.js';
import { BASE_PROFILE, layersOf, SHARED_APP, sourceLabel, type SourceId } from '../names.js';
import type { Keyring } from '../secrets/cipher.js';
import { checkJsonSchema } from '../schema/check-json-schema.js';
import type { ConfigStore } from '../store/config-store.js';
import { type VersionRecord } from '../store/config-store.js';
import { configErrors } from '../errors.js';
import { compose, maskSecret, type Layer } from './compose.js';
import { pruneToSchema } from './prune.js';

export interface EffectiveConfig {
  app: string;
  profile: string;
  /** The newest version among the layers (0: nothing stored yet). */
  version: number;
  /** When that version was written. */
  updatedAt?: string;
  values: Values;
  secrets: string[];
}

export interface ChangeRequest {
  set?: Record<string, unknown> | undefined;
  unset?: readonly string[] | undefined;
  /** Plaintext secrets by dotted key; stored encrypted. */
  secrets?: Record<string, string> | undefined;
}

export interface InvalidEntry {
  app: string;
  profile: string;
  path: string;
  message: string;
}

export function secretContext(source: SourceId, key: string): string {
  return `${source.app}/${source.profile}:${key}`;
}

export class ConfigCore {
  constructor(
    readonly store: ConfigStore,
    readonly keyring: Keyring,
  ) {}

  async layers(
    app: string,
    profile: string,
    reader = this.store,
  ): Promise<(Layer & { version: number; createdAt?: string | undefined })[]> {
    return Promise.all(
      layersOf(app, profile).map(async (source) => {
        const current = await reader.current(source);
        return { source, document: current.document, version: current.version, createdAt: current.createdAt };
      }),
    );
  }

  /** The layered configuration; secrets decrypted only when `reveal` is true, `****` otherwise. */
  async effective(app: string, profile: string, options: { reveal: boolean }): Promise<EffectiveConfig> {
    const layers = await this.layers(app, profile);
    const composed = compose(
      layers,
      options.reveal
        ? (layer, key) => this.keyring.open(layer.document.secrets[key]!, secretContext(layer.source, key))
        : maskSecret,
    );
    const newest = layers.reduce((a, b) => (b.version > a.version ? b : a));
    return {
      app,
      profile,
      version: newest.version,
      ...(newest.createdAt ? { updatedAt: newest.createdAt } : {}),
      ...composed,
    };
  }

  async write(options: {
    source: SourceId;
    change: ChangeRequest;
    expectedVersion: number;
    author: string;
    message: string;
  }): Promise<VersionRecord> {
    const { source, change } = options;
    for (const key of [
      ...Object.keys(change.set ?? {}),
      ...(change.unset ?? []),
      ...Object.keys(change.secrets ?? {}),
    ])
      if (!isValidKey(key))
        throw configErrors.create('CONFIG_ERR_BAD_CHANGE', { detail: `invalid key ${JSON.stringify(key)}` });
    return this.store.commit({
      source,
      expectedVersion: options.expectedVersion,
      author: options.author,
      message: options.message,
      prepare: async (current, reader) => {
        const document = this.applyChange(source, current.document, change);
        await this.validate(source, document, reader);
        return { kind: 'set', document, diff: this.diff(source, current.document, document) };
      },
    });
  }

  /** Restores the document of `version` onto its source, as a new version. */
  async rollback(options: {
    version: number;
    expectedVersion: number;
    author: string;
    message: string;
  }): Promise<VersionRecord> {
    const target = await this.store.version(options.version);
    if (!target)
      throw configErrors.create('CONFIG_ERR_VERSION_NOT_FOUND', { detail: `version ${options.version}` });
    const source = { app: target.app, profile: target.profile };
    return this.store.commit({
      source,
      expectedVersion: options.expectedVersion,
      author: options.author,
      message: options.message,
      prepare: async (current, reader) => {
        await this.validate(source, target.document, reader);
        return {
          kind: 'rollback',
          restores: target.version,
          document: target.document,
          diff: this.diff(source, current.document, target.document),
        };
      },
    });
  }

  /** Seeds a source from a file; refused like any write when it does not validate. */
  async seed(source: SourceId, values: Values, author: string, message: string): Promise<VersionRecord> {
    return this.store.commit({
      source,
      expectedVersion: 0,
      author,
      message,
      prepare: async (current, reader) => {
        const document: ConfigDocument = { values, secrets: {} };
        await this.validate(source, document, reader);
        return { kind: 'seed', document, diff: this.diff(source, current.document, document) };
      },
    });
  }

  /** Differences between the documents of two versions (secrets masked). */
  async diffVersions(
    from: number,
    to: number,
  ): Promise<{ from: VersionRecord; to: VersionRecord; changes: DiffEntry[] }> {
    const [a, b] = await Promise.all([this.store.version(from), this.store.version(to)]);
    if (!a || !b)
      throw configErrors.create('CONFIG_ERR_VERSION_NOT_FOUND', { detail: `version ${a ? to : from}` });
    const same = (x: VersionRecord, y: VersionRecord, key: string) =>
      this.keyring.open(x.document.secrets[key]!, secretContext(x, key)) ===
      this.keyring.open(y.document.secrets[key]!, secretContext(y, key));
    const changes = diffDocuments(a.document, b.document, (key) => same(a, b, key));
    return { from: a, to: b, changes };
  }

  diff(source: SourceId, before: ConfigDocument, after: ConfigDocument): DiffEntry[] {
    return diffDocuments(before, after, (key) => {
      const context = secretContext(source, key);
      return (
        this.keyring.open(before.secrets[key]!, context) === this.keyring.open(after.secrets[key]!, context)
      );
    });
  }

  applyChange(source: SourceId, current: ConfigDocument, change: ChangeRequest): ConfigDocument {
    const values = structuredClone(current.values);
    const secrets = { ...current.secrets };
    for (const key of change.unset ?? []) {
      deletePath(values, key);
      delete secrets[key];
    }
    for (const [key, value] of Object.entries(change.set ?? {})) {
      delete secrets[key];
      setPath(values, key, value);
    }
    for (const [key, value] of Object.entries(change.secrets ?? {})) {
      deletePath(values, key);
      secrets[key] = this.keyring.seal(value, secretContext(source, key));
    }
    // A secret under a key now holding a plain object or value would be shadowed ambiguously.
    for (const key of Object.keys(secrets)) if (flatten(values).has(key)) delete secrets[key];
    return { values, secrets };
  }

  /**
   * Validates the effective configuration of every application and profile the change affects
   * against each registered schema; throws CONFIG_ERR_INVALID with every problem.
   */
  async validate(source: SourceId, document: ConfigDocument, reader: ConfigStore): Promise<void> {
    const apps = source.app === SHARED_APP ? await reader.schemaApps() : [source.app];
    const heads = await reader.heads();
    const problems: InvalidEntry[] = [];
    for (const app of apps) {
      const schema = await reader.schema(app);
      if (schema === undefined) continue;
      const profiles = new Set([BASE_PROFILE, ...heads.filter((h) => h.app === app).map((h) => h.profile)]);
      if (source.app === app) profiles.add(source.profile);
      for (const profile of profiles) {
        const layers = (await this.layers(app, profile, reader)).map((layer) => {
          const doc = sourceLabel(layer.source) === sourceLabel(source) ? document : layer.document;
          return {
            source: layer.source,
            document: layer.source.app === SHARED_APP ? pruneDocument(schema, doc) : doc,
          };
        });
        const composed = compose(layers, (layer, key) =>
          this.keyring.open(layer.document.secrets[key]!, secretContext(layer.source, key)),
        );
        for (const problem of checkJsonSchema(schema, composed.values, { partial: true }))
          problems.push({ app, profile, ...problem });
      }
    }
    problems.sort((a, b) => a.profile.localeCompare(b.profile) || a.path.localeCompare(b.path));
    if (problems.length > 0)
      throw configErrors.create('CONFIG_ERR_INVALID', {
        detail: problems.map((p) => `${sourceLabel(p)} ${p.path}: ${p.message}`).join('; '),
        extensions: { errors: problems },
      });
  }
}

function pruneDocument(schema: unknown, document: ConfigDocument): ConfigDocument {
  const secrets = Object.fromEntries(
    Object.entries(document.secrets).filter(([key]) => {
      const probe: Values = {};
      setPath(probe, key, '');
      return flatten(pruneToSchema(schema, probe)).has(key);
    }),
  );
  return { values: pruneToSchema(schema, document.values), secrets };
}
