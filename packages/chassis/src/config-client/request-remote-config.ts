/** One `GET {url}/v1/config/:app/:profile[?after=N]` with the service's token (retried once after a 401). */
import { request, type Dispatcher } from 'undici';
import type { RemoteConfig, TokenSource } from './remote-config-types.js';

export interface RemoteConfigRequest {
  url: string;
  app: string;
  profile: string;
  tokenSource?: TokenSource | undefined;
  dispatcher?: Dispatcher | undefined;
  timeoutMs: number;
  /** Long-poll: wait for a version newer than this. */
  after?: number | undefined;
  signal?: AbortSignal | undefined;
}

export class RemoteConfigRequestError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RemoteConfigRequestError';
  }
}

/** The configuration, or `undefined` when a long poll ended without a newer version (304). */
export async function requestRemoteConfig(options: RemoteConfigRequest): Promise<RemoteConfig | undefined> {
  const base = options.url.replace(/\/+$/, '');
  const target = `${base}/v1/config/${encodeURIComponent(options.app)}/${encodeURIComponent(options.profile)}${
    options.after === undefined ? '' : `?after=${options.after}`
  }`;
  for (let attempt = 0; ; attempt++) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.tokenSource) headers.authorization = `Bearer ${await options.tokenSource.getToken()}`;
    const signal = options.signal
      ? AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)])
      : AbortSignal.timeout(options.timeoutMs);
    let response: Dispatcher.ResponseData;
    try {
      response = await request(target, {
        headers,
        signal,
        ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      });
    } catch (error) {
      throw new RemoteConfigRequestError(`config server ${base} unreachable: ${(error as Error).message}`);
    }
    if (response.statusCode === 401 && attempt === 0 && options.tokenSource?.invalidate) {
      await response.body.dump();
      options.tokenSource.invalidate();
      continue;
    }
    if (response.statusCode === 304) {
      await response.body.dump();
      return undefined;
    }
    if (response.statusCode !== 200) {
      const text = await response.body.text().catch(() => '');
      const detail = /"detail":"([^"]{0,200})"/.exec(text)?.[1];
      throw new RemoteConfigRequestError(
        `config server ${base} answered ${response.statusCode} for ${options.app}/${options.profile}${detail ? `: ${detail}` : ''}`,
        response.statusCode,
      );
    }
    const body = (await response.body.json()) as Partial<RemoteConfig>;
    if (typeof body.version !== 'number' || typeof body.values !== 'object' || body.values === null)
      throw new RemoteConfigRequestError(`config server ${base} sent an unreadable configuration`, 200);
    return {
      app: options.app,
      profile: options.profile,
      version: body.version,
      updatedAt: body.updatedAt,
      values: body.values,
      secrets: Array.isArray(body.secrets) ? body.secrets : [],
    };
  }
}
