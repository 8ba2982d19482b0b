/** A small client of the config server's admin API for the `rampart config` commands. */

export interface CliIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly env: NodeJS.ProcessEnv;
}

export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'AdminApiError';
  }
}

export interface AdminApi {
  get(path: string): Promise<{ body: Record<string, unknown>; etag: string | undefined }>;
  send(
    method: 'PATCH' | 'POST',
    path: string,
    body: unknown,
    ifMatch?: number,
  ): Promise<Record<string, unknown>>;
}

/**
 * @param baseUrl the admin API root: `http://localhost:8082/v1/admin` direct, or the gateway's
 *   `/admin/config` mapping.
 */
export function adminApi(
  baseUrl: string,
  token: string | undefined,
  fetchImpl: typeof fetch = fetch,
): AdminApi {
  const root = baseUrl.replace(/\/+$/, '');
  async function call(method: string, path: string, body?: unknown, ifMatch?: number) {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (ifMatch !== undefined) headers['if-match'] = `"${ifMatch}"`;
    let response: Response;
    try {
      response = await fetchImpl(`${root}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (error) {
      throw new AdminApiError(`config server ${root} unreachable: ${(error as Error).message}`, 0);
    }
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    if (!response.ok) {
      const detail = typeof parsed.detail === 'string' ? parsed.detail : (parsed.title as string | undefined);
      throw new AdminApiError(`${response.status} ${detail ?? response.statusText}`, response.status, parsed);
    }
    return { body: parsed, etag: response.headers.get('etag') ?? undefined };
  }
  return {
    get: (path) => call('GET', path),
    send: async (method, path, body, ifMatch) => (await call(method, path, body, ifMatch)).body,
  };
}

export function sourcePath(app: string, profile: string | undefined): string {
  return profile ? `${encodeURIComponent(app)}/${encodeURIComponent(profile)}` : encodeURIComponent(app);
}
