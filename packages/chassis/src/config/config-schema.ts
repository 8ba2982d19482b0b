/**
 * Walks a TypeBox object schema into the list of its leaves: every configurable key with the
 * names it can be given under (environment variables, flags) and whether it is a secret.
 */
import { Kind, type TSchema, type TObject } from '@sinclair/typebox';

/** Schema options the chassis understands on a leaf: `Type.String({ secret: true })`. */
export interface ConfigKeyOptions {
  /** Masked everywhere it could be shown (errors, `rampart config print`, logs). */
  secret?: boolean;
  /** May change while the service runs (applied at once by the config client). */
  dynamic?: boolean;
  /** Extra, well-known environment variable names, lowest precedence (e.g. `PORT`). */
  env?: string[];
}

export interface ConfigLeaf {
  /** Dotted path, e.g. `shutdown.drainDelayMs`. */
  key: string;
  path: string[];
  schema: TSchema;
  secret: boolean;
  dynamic: boolean;
  /** `SHUTDOWN_DRAIN_DELAY_MS`: prefixed with `RAMPART_` and `RAMPART_<SERVICE>_`. */
  envSuffix: string;
  /** Well-known names such as `PORT` (lowest environment precedence). */
  wellKnownEnv: string[];
  /** `shutdown.drain-delay-ms` → `--shutdown.drain-delay-ms`. */
  flag: string;
}

export function screamingSnake(word: string): string {
  return word
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

function kebab(word: string): string {
  return word.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

function isNestedObject(schema: TSchema): schema is TObject {
  // An object with declared properties is walked into; a free-form record is one leaf (JSON).
  return schema[Kind] === 'Object' && Object.keys((schema as TObject).properties ?? {}).length > 0;
}

export function configLeaves(schema: TObject, prefix: string[] = []): ConfigLeaf[] {
  const leaves: ConfigLeaf[] = [];
  for (const [name, child] of Object.entries(schema.properties)) {
    const path = [...prefix, name];
    if (isNestedObject(child)) {
      leaves.push(...configLeaves(child, path));
      continue;
    }
    const options = child as TSchema & ConfigKeyOptions;
    leaves.push({
      key: path.join('.'),
      path,
      schema: child,
      secret: options.secret === true,
      dynamic: options.dynamic === true,
      envSuffix: path.map(screamingSnake).join('_'),
      wellKnownEnv: options.env ?? [],
      flag: path.map(kebab).join('.'),
    });
  }
  return leaves;
}

/** Whether a leaf's schema is a boolean (flags take no value then). */
export function isBooleanLeaf(leaf: ConfigLeaf): boolean {
  return leaf.schema[Kind] === 'Boolean';
}

/** Arrays and records are given as JSON (or, for arrays, comma-separated) in env and flags. */
export function isStructuredLeaf(leaf: ConfigLeaf): boolean {
  const kind = leaf.schema[Kind];
  return kind === 'Array' || kind === 'Object' || kind === 'Record';
}
