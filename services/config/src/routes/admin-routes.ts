/**
 * The admin API (role `admin`; the gateway exposes it as `/admin/config/*`): sources, validated
 * writes with optimistic concurrency, history, diffs, rollback. Secrets never leave as plaintext
 * here — they are `****` in documents, diffs, logs and audit events.
 */
import { rampartError, Type, type Service } from '@rampart/chassis';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { principalOf } from '../access.js';
import type { ConfigContext } from '../context.js';
import { configErrors } from '../errors.js';
import { RampartError } from '@rampart/chassis';
import { maskedDocument } from '../model/diff.js';
import { BASE_PROFILE, NameSchema, SHARED_APP, sourceLabel, type SourceId } from '../names.js';
import { VersionConflict, type VersionRecord } from '../store/config-store.js';
import { etagOf, ifMatchVersion } from './etag.js';

const admin = { auth: { roles: ['admin'] } };
const SourceParams = Type.Object({ app: NameSchema, profile: Type.Optional(NameSchema) });
const ChangeBody = Type.Object(
  {
    set: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    unset: Type.Optional(Type.Array(Type.String(), { maxItems: 1000 })),
    secrets: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 65536 }))),
    message: Type.Optional(Type.String({ maxLength: 1000 })),
    expectedVersion: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
const RollbackBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    message: Type.Optional(Type.String({ maxLength: 1000 })),
    expectedVersion: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

/** A version as shown to people: no document, secrets masked in the diff. */
export function summary(record: VersionRecord) {
  return {
    version: record.version,
    app: record.app,
    profile: record.profile,
    kind: record.kind,
    restores: record.restores,
    author: record.author,
    message: record.message,
    createdAt: record.createdAt,
    diff: record.diff,
  };
}

function sourceOf(params: { app: string; profile?: string | undefined }): SourceId {
  const profile = params.profile ?? BASE_PROFILE;
  if (params.app === SHARED_APP && profile !== BASE_PROFILE)
    throw configErrors.create('CONFIG_ERR_BAD_CHANGE', {
      detail: 'the shared application layer has no profiles',
    });
  return { app: params.app, profile };
}

/** RFC 9110 §13.1.1 If-Match, or `expectedVersion` in the body; one of them is required (RFC 6585 §3). */
function expectedVersion(request: FastifyRequest, body: { expectedVersion?: number | undefined }): number {
  const header = request.headers['if-match'];
  const fromHeader = ifMatchVersion(typeof header === 'string' ? header : undefined);
  if (fromHeader !== undefined && Number.isNaN(fromHeader))
    throw configErrors.create('CONFIG_ERR_BAD_CHANGE', {
      detail: 'If-Match must be a version tag such as "12"',
    });
  const expected = fromHeader ?? body.expectedVersion;
  if (expected === undefined) throw configErrors.create('CONFIG_ERR_PRECONDITION_REQUIRED');
  return expected;
}

export function registerAdminRoutes(app: Service, context: ConfigContext): void {
  const { core } = context;

  async function committed(
    request: FastifyRequest,
    reply: FastifyReply,
    action: string,
    record: VersionRecord,
  ) {
    await request.audit(action, {
      resource: `config:${sourceLabel(record)}`,
      details: {
        version: record.version,
        message: record.message,
        diff: record.diff,
        restores: record.restores,
      },
    });
    request.log.info(
      { config_source: sourceLabel(record), config_version: record.version, diff: record.diff },
      `configuration ${sourceLabel(record)} is now version ${record.version}`,
    );
    await context.bus.publish(record.version);
    return reply.header('etag', etagOf(record.version)).send(summary(record));
  }

  async function refused(
    request: FastifyRequest,
    action: string,
    source: SourceId,
    error: unknown,
  ): Promise<never> {
    if (error instanceof VersionConflict) {
      await request.audit(action, {
        resource: `config:${sourceLabel(source)}`,
        outcome: 'failure',
        details: { reason: 'version conflict', expected: error.expected, current: error.current },
      });
      throw configErrors.create('CONFIG_ERR_VERSION_CONFLICT', {
        detail: error.message,
        extensions: { currentVersion: error.current },
        headers: { etag: etagOf(error.current) },
      });
    }
    if (error instanceof RampartError)
      await request.audit(action, {
        resource: `config:${sourceLabel(source)}`,
        outcome: 'failure',
        details: { reason: error.code, errors: error.extensions?.errors },
      });
    throw error;
  }

  app.get('/v1/admin/config', { config: admin }, async () => ({ sources: await core.store.heads() }));

  app.get(
    '/v1/admin/config/:app/:profile?',
    { config: admin, schema: { params: SourceParams } },
    async (request, reply) => {
      const source = sourceOf(request.params);
      const current = await core.store.current(source);
      const effective =
        source.app === SHARED_APP
          ? undefined
          : await core.effective(source.app, source.profile, { reveal: false });
      void reply.header('etag', etagOf(current.version));
      return {
        app: source.app,
        profile: source.profile,
        version: current.version,
        ...maskedDocument(current.document),
        ...(effective
          ? {
              effective: { version: effective.version, values: effective.values, secrets: effective.secrets },
            }
          : {}),
      };
    },
  );

  app.patch(
    '/v1/admin/config/:app/:profile?',
    { config: admin, schema: { params: SourceParams, body: ChangeBody } },
    async (request, reply) => {
      const source = sourceOf(request.params);
      const body = request.body;
      const expected = expectedVersion(request, body);
      let record: VersionRecord;
      try {
        record = await core.write({
          source,
          change: body,
          expectedVersion: expected,
          author: principalOf(request).sub,
          message: body.message ?? '',
        });
      } catch (error) {
        return refused(request, 'config.write', source, error);
      }
      return committed(request, reply, 'config.write', record);
    },
  );

  app.post(
    '/v1/admin/rollback',
    { config: admin, schema: { body: RollbackBody } },
    async (request, reply) => {
      const body = request.body;
      const target = await core.store.version(body.version);
      if (!target)
        throw configErrors.create('CONFIG_ERR_VERSION_NOT_FOUND', { detail: `version ${body.version}` });
      const expected = expectedVersion(request, body);
      let record: VersionRecord;
      try {
        record = await core.rollback({
          version: body.version,
          expectedVersion: expected,
          author: principalOf(request).sub,
          message: body.message ?? `rollback to version ${body.version}`,
        });
      } catch (error) {
        return refused(request, 'config.rollback', target, error);
      }
      return committed(request, reply, 'config.rollback', record);
    },
  );

  const HistoryQuery = Type.Object({
    limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
    before: Type.Optional(Type.Integer({ minimum: 1 })),
  });
  app.get('/v1/admin/history', { config: admin, schema: { querystring: HistoryQuery } }, async (request) => ({
    versions: (await core.store.history(request.query)).map(summary),
  }));
  app.get(
    '/v1/admin/history/:app/:profile?',
    { config: admin, schema: { params: SourceParams, querystring: HistoryQuery } },
    async (request) => ({
      versions: (await core.store.history({ ...request.query, source: sourceOf(request.params) })).map(
        summary,
      ),
    }),
  );

  app.get(
    '/v1/admin/versions/:version',
    { config: admin, schema: { params: Type.Object({ version: Type.Integer({ minimum: 1 }) }) } },
    async (request) => {
      const record = await core.store.version(request.params.version);
      if (!record)
        throw rampartError('RAMPART_ERR_NOT_FOUND', { detail: `version ${request.params.version}` });
      return { ...summary(record), ...maskedDocument(record.document) };
    },
  );

  app.get(
    '/v1/admin/diff',
    {
      config: admin,
      schema: {
        querystring: Type.Object({ from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) }),
      },
    },
    async (request) => {
      const { from, to, changes } = await core.diffVersions(request.query.from, request.query.to);
      return { from: summary(from), to: summary(to), changes };
    },
  );
}
