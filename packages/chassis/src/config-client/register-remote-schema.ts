/**
 * `PUT {url}/v1/schemas/:app`: publishes the service's configuration schema, so the config
 * server refuses writes that this service could not start with. TypeBox schemas are JSON Schema;
 * JSON serialization drops TypeBox's internal symbols.
 */
import type { TObject } from '@sinclair/typebox';
import { request, type Dispatcher } from 'undici';
import type { TokenSource } from './remote-config-types.js';

export async function registerRemoteSchema(options: {
  url: string;
  app: string;
  schema: TObject;
  tokenSource?: TokenSource | undefined;
  dispatcher?: Dispatcher | undefined;
  timeoutMs: number;
}): Promise<void> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.tokenSource) headers.authorization = `Bearer ${await options.tokenSource.getToken()}`;
  const response = await request(
    `${options.url.replace(/\/+$/, '')}/v1/schemas/${encodeURIComponent(options.app)}`,
    {
      method: 'PUT',
      headers,
      body: JSON.stringify(options.schema),
      signal: AbortSignal.timeout(options.timeoutMs),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    },
  );
  await response.body.dump();
  if (response.statusCode !== 204 && response.statusCode !== 200)
    throw new Error(`config server answered ${response.statusCode} to the schema registration`);
}
