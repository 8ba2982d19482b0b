/**
 * Request bodies are streamed to the upstream, never buffered. The route's limit is checked on
 * `Content-Length` before anything is read, and counted on the way for chunked bodies: past the
 * limit the stream fails and the client gets 413.
 */
import { Transform, type TransformCallback } from 'node:stream';
import { gatewayError } from '../errors.js';

export function limitBody(limit: number, onExceeded: () => void, onBytes?: (n: number) => void): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      seen += chunk.length;
      onBytes?.(chunk.length);
      if (seen > limit) {
        onExceeded();
        callback(gatewayError('GW_ERR_BODY_TOO_LARGE', { detail: `the body exceeds ${limit} bytes` }));
        return;
      }
      callback(null, chunk);
    },
  });
}
