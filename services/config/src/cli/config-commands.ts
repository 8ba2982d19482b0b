/**
 * `rampart config get|set|set-secret|history|diff|rollback <app> [<profile>]`, each a function of
 * parsed arguments and an io object. Writes read the current version first and send it as
 * `If-Match`, so two people editing at once never overwrite each other silently.
 */
import { readFile } from 'node:fs/promises';
import { sourcePath, type AdminApi, type CliIo } from './admin-api.js';

export interface SourceArgs {
  app: string;
  profile?: string | undefined;
  json?: boolean | undefined;
}

interface DiffEntry {
  key: string;
  op: string;
  from?: unknown;
  to?: unknown;
}

interface VersionSummary {
  version: number;
  author: string;
  createdAt: string;
  kind: string;
  message: string;
  restores: number | null;
  diff: DiffEntry[];
}

const label = (args: SourceArgs) => (args.profile ? `${args.app}-${args.profile}` : args.app);
const print = (io: CliIo, text: string) => void io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

function formatDiff(entries: readonly DiffEntry[]): string {
  if (entries.length === 0) return '  (no changes)';
  const show = (v: unknown) => JSON.stringify(v);
  return entries
    .map((e) =>
      e.op === 'added'
        ? `  + ${e.key} = ${show(e.to)}`
        : e.op === 'removed'
          ? `  - ${e.key} (was ${show(e.from)})`
          : `  ~ ${e.key}: ${show(e.from)} → ${show(e.to)}`,
    )
    .join('\n');
}

/** `key=value`: JSON when it parses (numbers, booleans, objects), a string otherwise. */
export function parseAssignment(text: string): [string, unknown] {
  const at = text.indexOf('=');
  if (at <= 0) throw new TypeError(`expected key=value, got '${text}'`);
  const raw = text.slice(at + 1);
  try {
    return [text.slice(0, at), JSON.parse(raw) as unknown];
  } catch {
    return [text.slice(0, at), raw];
  }
}

export async function configGet(api: AdminApi, args: SourceArgs, io: CliIo): Promise<number> {
  const { body } = await api.get(`/config/${sourcePath(args.app, args.profile)}`);
  if (args.json) return (print(io, JSON.stringify(body, null, 2)), 0);
  const secrets = (body.secrets as string[]).map((k) => `  ${k} = ****`);
  const lines = [
    `${label(args)} version ${String(body.version)}`,
    JSON.stringify(body.values, null, 2),
    ...(secrets.length ? ['secrets:', ...secrets] : []),
  ];
  const effective = body.effective as { version: number; values: unknown } | undefined;
  if (effective)
    lines.push(
      `effective (application < ${args.app}${args.profile ? ` < ${label(args)}` : ''}) version ${effective.version}:`,
      JSON.stringify(effective.values, null, 2),
    );
  print(io, lines.join('\n'));
  return 0;
}

async function currentVersion(api: AdminApi, args: SourceArgs): Promise<number> {
  const { body } = await api.get(`/config/${sourcePath(args.app, args.profile)}`);
  return body.version as number;
}

export interface SetArgs extends SourceArgs {
  set: Record<string, unknown>;
  unset: string[];
  message?: string | undefined;
  /** The version the change is based on; read from the server when absent. */
  expect?: number | undefined;
}

export async function configSet(api: AdminApi, args: SetArgs, io: CliIo): Promise<number> {
  const expected = args.expect ?? (await currentVersion(api, args));
  const result = (await api.send(
    'PATCH',
    `/config/${sourcePath(args.app, args.profile)}`,
    { set: args.set, unset: args.unset, message: args.message ?? '' },
    expected,
  )) as unknown as VersionSummary;
  print(io, `${label(args)}: version ${result.version}\n${formatDiff(result.diff)}`);
  return 0;
}

export interface SetSecretArgs extends SourceArgs {
  key: string;
  /** The value itself, or where to read it (a file keeps it out of shell history). */
  value?: string | undefined;
  fromFile?: string | undefined;
  fromEnv?: string | undefined;
  message?: string | undefined;
  expect?: number | undefined;
}

export async function configSetSecret(api: AdminApi, args: SetSecretArgs, io: CliIo): Promise<number> {
  const value =
    args.value ??
    (args.fromFile
      ? (await readFile(args.fromFile, 'utf8')).replace(/\r?\n$/, '')
      : args.fromEnv
        ? io.env[args.fromEnv]
        : undefined);
  if (value === undefined || value === '')
    throw new TypeError('no secret value: give key=value, --from-file FILE or --from-env VAR');
  const expected = args.expect ?? (await currentVersion(api, args));
  const result = (await api.send(
    'PATCH',
    `/config/${sourcePath(args.app, args.profile)}`,
    { secrets: { [args.key]: value }, message: args.message ?? '' },
    expected,
  )) as unknown as VersionSummary;
  print(io, `${label(args)}: version ${result.version}\n${formatDiff(result.diff)}`);
  return 0;
}

export async function configHistory(
  api: AdminApi,
  args: SourceArgs & { limit?: number | undefined },
  io: CliIo,
): Promise<number> {
  const { body } = await api.get(`/history/${sourcePath(args.app, args.profile)}?limit=${args.limit ?? 20}`);
  const versions = body.versions as VersionSummary[];
  if (args.json) return (print(io, JSON.stringify(versions, null, 2)), 0);
  const lines = versions.map(
    (v) =>
      `version ${v.version}  ${v.createdAt}  ${v.author}  ${v.kind}${v.restores ? ` of ${v.restores}` : ''}${v.message ? `  "${v.message}"` : ''}\n${formatDiff(v.diff)}`,
  );
  print(io, lines.length ? lines.join('\n') : `${label(args)}: no versions`);
  return 0;
}

export async function configDiff(
  api: AdminApi,
  args: SourceArgs & { from?: number | undefined; to?: number | undefined },
  io: CliIo,
): Promise<number> {
  let { from, to } = args;
  if (from === undefined || to === undefined) {
    const { body } = await api.get(`/history/${sourcePath(args.app, args.profile)}?limit=2`);
    const [latest, previous] = body.versions as VersionSummary[];
    if (!latest) return (print(io, `${label(args)}: no versions`), 0);
    to ??= latest.version;
    if (from === undefined) {
      if (!previous)
        return (
          print(io, `${label(args)} version ${latest.version} (first version)\n${formatDiff(latest.diff)}`),
          0
        );
      from = previous.version;
    }
  }
  const { body } = await api.get(`/diff?from=${from}&to=${to}`);
  if (args.json) return (print(io, JSON.stringify(body, null, 2)), 0);
  print(io, `${label(args)}: version ${from} → ${to}\n${formatDiff(body.changes as DiffEntry[])}`);
  return 0;
}

export async function configRollback(
  api: AdminApi,
  args: SourceArgs & { to: number; message?: string | undefined; expect?: number | undefined },
  io: CliIo,
): Promise<number> {
  const { body } = await api.get(`/versions/${args.to}`);
  const target = body as { app: string; profile: string };
  if (target.app !== args.app || (target.profile || undefined) !== args.profile)
    throw new TypeError(
      `version ${args.to} belongs to ${label({ app: target.app, profile: target.profile || undefined })}, not ${label(args)}`,
    );
  const expected = args.expect ?? (await currentVersion(api, args));
  const result = (await api.send(
    'POST',
    '/rollback',
    { version: args.to, ...(args.message ? { message: args.message } : {}) },
    expected,
  )) as unknown as VersionSummary;
  print(
    io,
    `${label(args)}: version ${result.version} restores version ${args.to}\n${formatDiff(result.diff)}`,
  );
  return 0;
}
