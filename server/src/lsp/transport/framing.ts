import { Transform, type TransformCallback } from 'node:stream';

/**
 * Strict LSP base-protocol framing on the raw `--stdio` byte stream, ahead of
 * vscode-jsonrpc's reader. That reader waits forever on a header block that
 * never ends (garbage bytes), on a negative or short Content-Length it
 * resynchronises on the wrong bytes, and on a truncated body it waits for
 * bytes that never come: the server stays alive but never answers again.
 * Here any such violation is reported once, so the host can end the process
 * and the client restart it. Bytes pass through unchanged.
 */

/** Headers longer than this are not LSP. */
const MAX_HEADER_BYTES = 8 * 1024;
/** A larger message is refused (a 64 MiB document, JSON-escaped, fits). */
export const MAX_MESSAGE_BYTES = 512 * 1024 * 1024;
const HEADER_LINE = /^[A-Za-z][A-Za-z0-9-]*: *[\x20-\x7e]*$/;
const TERMINATOR = Buffer.from('\r\n\r\n');

export class FramingGuard extends Transform {
  /** Bytes of the current header block, while it is incomplete. */
  private header = Buffer.alloc(0);
  /** Body bytes still expected; 0 between messages. */
  private remaining = 0;
  private timer: NodeJS.Timeout | undefined;
  private failed = false;

  /**
   * @param onViolation called once with what is wrong
   * @param partialTimeoutMs a message left incomplete this long with no new bytes is a violation (a truncated body)
   */
  constructor(
    private readonly onViolation: (why: string) => void,
    private readonly partialTimeoutMs = 10_000,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (!this.failed) {
      const why = this.scan(chunk);
      if (why !== undefined) this.fail(why);
      else this.armTimer();
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.clearTimer();
    if (!this.failed && (this.remaining > 0 || this.header.length > 0)) this.fail('the stream ended inside a message');
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.clearTimer();
    callback(error);
  }

  private scan(chunk: Buffer): string | undefined {
    let at = 0;
    while (at < chunk.length) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - at);
        this.remaining -= n;
        at += n;
        continue;
      }
      const rest = chunk.subarray(at);
      const joined = this.header.length > 0 ? Buffer.concat([this.header, rest]) : rest;
      const end = joined.indexOf(TERMINATOR);
      if (end < 0) {
        if (joined.length > MAX_HEADER_BYTES) return `no end of headers within ${MAX_HEADER_BYTES} bytes`;
        this.header = Buffer.from(joined);
        return undefined;
      }
      const why = this.readHeaders(joined.subarray(0, end).toString('latin1'));
      if (why !== undefined) return why;
      at += end + TERMINATOR.length - this.header.length;
      this.header = Buffer.alloc(0);
    }
    return undefined;
  }

  /** Validates a header block and sets the body length it announces. */
  private readHeaders(block: string): string | undefined {
    if (block.length > MAX_HEADER_BYTES) return `headers longer than ${MAX_HEADER_BYTES} bytes`;
    let length: number | undefined;
    for (const line of block.split('\r\n')) {
      if (!HEADER_LINE.test(line)) return `malformed header line ${JSON.stringify(line.slice(0, 60))}`;
      const colon = line.indexOf(':');
      if (line.slice(0, colon).toLowerCase() !== 'content-length') continue;
      const value = line.slice(colon + 1).trim();
      if (!/^\d{1,10}$/.test(value)) return `invalid Content-Length ${JSON.stringify(value.slice(0, 20))}`;
      length = Number(value);
    }
    if (length === undefined) return 'a message without Content-Length';
    if (length === 0) return 'an empty message (Content-Length: 0)';
    if (length > MAX_MESSAGE_BYTES) return `Content-Length ${length} is over ${MAX_MESSAGE_BYTES}`;
    this.remaining = length;
    return undefined;
  }

  private armTimer(): void {
    this.clearTimer();
    if (this.remaining === 0 && this.header.length === 0) return;
    this.timer = setTimeout(() => { this.fail(`a message left incomplete for ${this.partialTimeoutMs} ms`); }, this.partialTimeoutMs);
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private fail(why: string): void {
    if (this.failed) return;
    this.failed = true;
    this.clearTimer();
    this.onViolation(why);
  }
}

/** Ends the server after a framing error: the client sees the process exit and restarts it. */
export function exitOnFramingError(why: string): void {
  process.stderr.write(`shipshape: malformed LSP message (${why}); exiting so that the client restarts the server\n`);
  process.exit(1);
}
