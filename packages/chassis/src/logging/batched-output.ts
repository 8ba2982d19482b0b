/**
 * A log destination that batches lines into one buffer and writes it to a file descriptor
 * (stdout) with one synchronous `write(2)` per batch: when it holds `batchBytes`, at least every
 * `intervalMs` (so a quiet service's lines still appear at once), on `flush()`, and at exit.
 *
 * Why not pino's `destination({ minLength })` (sonic-boom)? It measures the UTF-8 length of the
 * whole pending batch on every line, which made a batched line cost ~6 µs — more than building it.
 * Here a line costs a copy into the buffer. Writes are synchronous, as pino's default stdout is:
 * a log reader that stops reading slows the service down instead of growing its memory.
 */
import { writeSync } from 'node:fs';
import type { DestinationStream } from 'pino';

export interface BatchedOutputOptions {
  fd?: number;
  batchBytes?: number;
  intervalMs?: number;
}

const sleep = new Int32Array(new SharedArrayBuffer(4));

export class BatchedOutput implements DestinationStream {
  readonly #fd: number;
  readonly #buffer: Buffer;
  readonly #batchBytes: number;
  #length = 0;

  constructor(options: BatchedOutputOptions = {}) {
    this.#fd = options.fd ?? 1;
    this.#batchBytes = options.batchBytes ?? 16 * 1024;
    // Room for a full batch plus the largest line that still goes through the buffer.
    this.#buffer = Buffer.allocUnsafe(this.#batchBytes * 2);
    const timer = setInterval(() => this.flushSync(), options.intervalMs ?? 100);
    timer.unref();
    process.once('exit', () => this.flushSync());
  }

  write(line: string): void {
    // A UTF-8 character takes at most 3 bytes per UTF-16 code unit.
    const worstCase = line.length * 3;
    if (this.#length + worstCase > this.#buffer.length) {
      this.flushSync();
      if (worstCase > this.#buffer.length) {
        this.#writeAll(Buffer.from(line, 'utf8'));
        return;
      }
    }
    this.#length += this.#buffer.write(line, this.#length, 'utf8');
    if (this.#length >= this.#batchBytes) this.flushSync();
  }

  /** pino's `logger.flush(cb)`. */
  flush(callback?: (error?: Error) => void): void {
    try {
      this.flushSync();
      callback?.();
    } catch (error) {
      callback?.(error as Error);
    }
  }

  flushSync(): void {
    if (this.#length === 0) return;
    const pending = this.#buffer.subarray(0, this.#length);
    this.#length = 0;
    this.#writeAll(pending);
  }

  #writeAll(data: Buffer): void {
    let offset = 0;
    while (offset < data.length) {
      try {
        offset += writeSync(this.#fd, data, offset, data.length - offset);
      } catch (error) {
        // A non-blocking pipe that is full: wait a moment for the reader, as sonic-boom does.
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
        Atomics.wait(sleep, 0, 0, 10);
      }
    }
  }
}

let stdout: BatchedOutput | undefined;

/** The process' one batched stdout (every logger in the process shares it: one buffer, one timer). */
export function batchedStdout(): BatchedOutput {
  return (stdout ??= new BatchedOutput());
}
