/**
 * Push-model configuration: built-in defaults < YAML file < environment < command-line flags,
 * validated once against the service's TypeBox schema, frozen, with every value's source known.
 *
 * Environment names for key `shutdown.drainDelayMs` of service `orders`, lowest first: any
 * well-known alias declared on the key (`PORT`), `RAMPART_SHUTDOWN_DRAIN_DELAY_MS` (every
 * service), `RAMPART_ORDERS_SHUTDOWN_DRAIN_DELAY_MS`. `<NAME>_FILE` reads the value from a file
 * (Docker/Kubernetes secrets), trailing newline removed.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse as parseYaml } from 'yaml';
import { baseConfigSchema, type BaseConfig } from './base-schema.js';
import { ConfigError, type ConfigProblem } from './config-error.js';
import {
  configLeaves,
  isBooleanLeaf,
  isStructuredLeaf,
  screamingSnake,
  type ConfigLeaf,
} from './config-schema.js';
import { maskValue, renderValue } from './mask.js';

export interface LoadConfigOptions<S extends TObject> {
  /** Service name: `orders` reads `RAMPART_ORDERS_*`. */
  service: string;
  /** The service's own keys; merged over the chassis' base keys (host, port, logLevel, …). */
  schema: S;
  /** The service's default port (the `port` key's default). */
  defaultPort?: number;
  /** Defaults to `process.argv.slice(2)`. */
  argv?: readonly string[];
  /** Defaults to `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Extra layer between defaults and the file (the pull-model config server will use it). */
  layers?: readonly ConfigLayer[];
}

export interface ConfigLayer {
  source: string;
  values: Record<string, unknown>;
}

export type ServiceConfig<S extends TObject> = Readonly<BaseConfig & Static<S>>;

export interface LoadedConfig<S extends TObject> {
  config: ServiceConfig<S>;
  /** Effective value and source of every key, secrets masked: what `rampart config print` shows. */
  entries: readonly ConfigEntry[];
  schema: TObject;
  leaves: readonly ConfigLeaf[];
}

export interface ConfigEntry {
  key: string;
  value: string;
  source: string;
  secret: boolean;
  dynamic: boolean;
}

interface Setting {
  value: unknown;
  source: string;
}

/** The service schema merged over the base schema (service keys win). */
export function serviceConfigSchema(schema: TObject, defaultPort?: number): TObject {
  const base = baseConfigSchema.properties;
  const port = defaultPort === undefined ? base.port : Type.Integer({ ...base.port, default: defaultPort });
  const properties: TProperties = { ...base, port, ...schema.properties };
  return Type.Object(properties, { additionalProperties: false });
}

export function loadConfig<S extends TObject>(options: LoadConfigOptions<S>): LoadedConfig<S> {
  const env = options.env ?? process.env;
  const argv = options.argv ?? process.argv.slice(2);
  const schema = serviceConfigSchema(options.schema, options.defaultPort);
  const leaves = configLeaves(schema);
  const problems: ConfigProblem[] = [];
  const settings = new Map<string, Setting>();

  for (const leaf of leaves) {
    const fallback = leaf.schema.default as unknown;
    if (fallback !== undefined)
      settings.set(leaf.key, { value: structuredClone(fallback), source: 'default' });
  }
  for (const layer of options.layers ?? [])
    applyObject(layer.values, layer.source, leaves, settings, problems);

  const flags = readFlags(argv, leaves, options.service, problems);
  const configFile = flags.configFile ?? env.RAMPART_CONFIG;
  if (configFile !== undefined)
    applyFile(
      configFile,
      flags.configFile ? 'flag --config' : 'env RAMPART_CONFIG',
      leaves,
      settings,
      problems,
    );
  applyEnv(env, options.service, leaves, settings, problems);
  for (const [key, setting] of flags.values) settings.set(key, setting);

  const raw = buildObject(settings);
  const converted = Value.Convert(schema, raw) as Record<string, unknown>;
  for (const error of Value.Errors(schema, converted)) {
    const key = error.path.slice(1).replaceAll('/', '.') || '(root)';
    const leaf = leaves.find((l) => key === l.key || key.startsWith(`${l.key}.`));
    const setting = leaf ? settings.get(leaf.key) : undefined;
    // Missing required nested objects report the object; name the leaf the user has to set.
    if (setting === undefined && leaf === undefined) {
      for (const missing of leaves.filter((l) => l.key.startsWith(`${key}.`) && !settings.has(l.key))) {
        problems.push(missingProblem(missing, options.service));
      }
      continue;
    }
    if (setting === undefined && leaf) {
      problems.push(missingProblem(leaf, options.service));
      continue;
    }
    problems.push({
      key,
      source: setting?.source ?? 'default',
      value: leaf?.secret ? maskValue(error.value) : renderValue(error.value),
      expected: describeExpectation(error.message, error.schema),
    });
  }
  if (problems.length > 0) throw new ConfigError(options.service, dedupe(problems));

  const entries = leaves.map((leaf) => {
    const setting = settings.get(leaf.key);
    const value = getPath(converted, leaf.path);
    return {
      key: leaf.key,
      value: value === undefined ? '(unset)' : leaf.secret ? maskValue(value) : renderValue(value),
      source: setting?.source ?? 'unset',
      secret: leaf.secret,
      dynamic: leaf.dynamic,
    };
  });
  return { config: deepFreeze(converted) as ServiceConfig<S>, entries, schema, leaves };
}

function missingProblem(leaf: ConfigLeaf, service: string): ConfigProblem {
  const names = [`RAMPART_${screamingSnake(service)}_${leaf.envSuffix}`, ...leaf.wellKnownEnv];
  return {
    key: leaf.key,
    source: 'nowhere',
    value: undefined,
    expected: `required: set ${names.join(' or ')}, --${leaf.flag}, or "${leaf.key}" in the config file`,
  };
}

function describeExpectation(message: string, schema: { description?: string }): string {
  const expected = message.replace(/^Expected /, 'expected ');
  return schema.description ? `${expected} (${schema.description})` : expected;
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${p.key}\0${p.expected}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

function applyFile(
  file: string,
  via: string,
  leaves: readonly ConfigLeaf[],
  settings: Map<string, Setting>,
  problems: ConfigProblem[],
): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    problems.push({
      key: 'config',
      source: via,
      value: file,
      expected: `a readable YAML file (${errnoText(error)})`,
    });
    return;
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    problems.push({
      key: 'config',
      source: via,
      value: file,
      expected: `valid YAML (${(error as Error).message.split('\n')[0]})`,
    });
    return;
  }
  if (document === null || document === undefined) return;
  if (typeof document !== 'object' || Array.isArray(document)) {
    problems.push({
      key: 'config',
      source: via,
      value: file,
      expected: 'a YAML mapping of configuration keys',
    });
    return;
  }
  applyObject(document as Record<string, unknown>, `file ${path.resolve(file)}`, leaves, settings, problems);
}

/** Applies a nested object (file or remote layer); unknown keys are problems (typos must not pass). */
function applyObject(
  object: Record<string, unknown>,
  source: string,
  leaves: readonly ConfigLeaf[],
  settings: Map<string, Setting>,
  problems: ConfigProblem[],
  prefix: string[] = [],
): void {
  for (const [name, value] of Object.entries(object)) {
    const key = [...prefix, name].join('.');
    const leaf = leaves.find((l) => l.key === key);
    if (leaf) {
      settings.set(key, { value, source });
    } else if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      leaves.some((l) => l.key.startsWith(`${key}.`))
    ) {
      applyObject(value as Record<string, unknown>, source, leaves, settings, problems, [...prefix, name]);
    } else {
      problems.push({
        key,
        source,
        value: renderValue(value),
        expected: 'a known configuration key (is it misspelt?)',
      });
    }
  }
}

function applyEnv(
  env: Readonly<Record<string, string | undefined>>,
  service: string,
  leaves: readonly ConfigLeaf[],
  settings: Map<string, Setting>,
  problems: ConfigProblem[],
): void {
  const servicePrefix = `RAMPART_${screamingSnake(service)}_`;
  for (const leaf of leaves) {
    // Lowest precedence first; a later name overrides an earlier one.
    const names = [...leaf.wellKnownEnv, `RAMPART_${leaf.envSuffix}`, `${servicePrefix}${leaf.envSuffix}`];
    for (const name of names) {
      const fromFile = env[`${name}_FILE`];
      if (fromFile !== undefined && fromFile !== '') {
        try {
          const content = readFileSync(fromFile, 'utf8').replace(/\r?\n$/, '');
          settings.set(leaf.key, {
            value: parseText(content, leaf),
            source: `file ${fromFile} (env ${name}_FILE)`,
          });
        } catch (error) {
          problems.push({
            key: leaf.key,
            source: `env ${name}_FILE`,
            value: fromFile,
            expected: `a readable secret file (${errnoText(error)})`,
          });
        }
      }
      const direct = env[name];
      if (direct !== undefined)
        settings.set(leaf.key, { value: parseText(direct, leaf), source: `env ${name}` });
    }
  }
}

interface ParsedFlags {
  configFile: string | undefined;
  values: Map<string, Setting>;
}

function readFlags(
  argv: readonly string[],
  leaves: readonly ConfigLeaf[],
  service: string,
  problems: ConfigProblem[],
): ParsedFlags {
  const options: NonNullable<ParseArgsConfig['options']> = { config: { type: 'string' } };
  for (const leaf of leaves) options[leaf.flag] = { type: isBooleanLeaf(leaf) ? 'boolean' : 'string' };
  const values = new Map<string, Setting>();
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options,
      strict: true,
      allowPositionals: false,
      allowNegative: true,
    });
  } catch (error) {
    const message = (error as Error).message;
    const flag = /'(-[^']*)'/.exec(message)?.[1] ?? argv.join(' ');
    problems.push({
      key: flag.replace(/^-+/, ''),
      source: `flag ${flag}`,
      value: undefined,
      expected: flagExpectation(message, service),
    });
    return { configFile: undefined, values };
  }
  for (const leaf of leaves) {
    const value = parsed.values[leaf.flag];
    if (value === undefined) continue;
    values.set(leaf.key, {
      value: typeof value === 'string' ? parseText(value, leaf) : value,
      source: `flag --${leaf.flag}`,
    });
  }
  const configFile = parsed.values.config;
  return { configFile: typeof configFile === 'string' ? configFile : undefined, values };
}

function flagExpectation(message: string, service: string): string {
  if (message.includes('Unknown option')) return `a known flag (see: rampart config print ${service})`;
  return message.replace(/\. To specify.*$/, '');
}

/** Text from env/flags/files: JSON for structured keys, comma-separated lists for arrays. */
function parseText(text: string, leaf: ConfigLeaf): unknown {
  if (!isStructuredLeaf(leaf)) return text;
  const trimmed = text.trim();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    try {
      return JSON.parse(trimmed);
    } catch {
      return text; // validation reports it with the key and source
    }
  }
  return trimmed === '' ? [] : trimmed.split(',').map((s) => s.trim());
}

function buildObject(settings: Map<string, Setting>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, { value }] of settings) {
    const parts = key.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts[parts.length - 1] as string] = value;
  }
  return root;
}

function getPath(object: Record<string, unknown>, keys: readonly string[]): unknown {
  let node: unknown = object;
  for (const key of keys) node = (node as Record<string, unknown> | undefined)?.[key];
  return node;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function errnoText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  return code ?? (error as Error).message;
}
