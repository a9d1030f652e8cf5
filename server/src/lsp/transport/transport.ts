import {
  IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter, type DataCallback, type Disposable, type Message, type MessageReader,
  type MessageWriter,
} from 'vscode-languageserver/node';
import { FramingGuard, exitOnFramingError } from './framing';

/**
 * The newest version of each document the transport has READ, which can be
 * ahead of the version the server has processed: JSON-RPC handles one queued
 * message per event-loop turn, so a burst of changes sits read but unhandled
 * for a while. An analysis of an older version is then pointless; the run
 * for the newest version publishes.
 */
export class VersionLedger {
  private readonly versions = new Map<string, number>();

  note(message: Message): void {
    const m = message as { method?: unknown; params?: { textDocument?: { uri?: unknown; version?: unknown } } };
    if (m.method !== 'textDocument/didChange' && m.method !== 'textDocument/didOpen') return;
    const doc = m.params?.textDocument;
    if (typeof doc?.uri === 'string' && typeof doc.version === 'number') this.versions.set(doc.uri, doc.version);
  }

  /** True when a newer version of `uri` than `version` has arrived. */
  isSuperseded(uri: string, version: number): boolean {
    const newest = this.versions.get(uri);
    return newest !== undefined && newest > version;
  }

  forget(uri: string): void {
    this.versions.delete(uri);
  }
}

/** A reader that lets the ledger see every message as it is read, before it is queued. */
export function peekingReader(inner: MessageReader, ledger: VersionLedger): MessageReader {
  return {
    onError: inner.onError,
    onClose: inner.onClose,
    onPartialMessage: inner.onPartialMessage,
    listen(callback: DataCallback): Disposable {
      return inner.listen((message) => {
        ledger.note(message);
        callback(message);
      });
    },
    dispose: () => { inner.dispose(); },
  };
}

/** Reader and writer for `--stdio` or `--node-ipc`; undefined for other transports (left to vscode-languageserver). */
export function transportFromArgs(argv: readonly string[]): { reader: MessageReader; writer: MessageWriter } | undefined {
  if (argv.includes('--stdio')) {
    // Framing is checked on the raw bytes first: a malformed message ends the process instead of stalling it.
    const timeout = Number(process.env.SHIPSHAPE_LSP_PARTIAL_TIMEOUT_MS);
    const guard = new FramingGuard(exitOnFramingError, Number.isInteger(timeout) && timeout > 0 ? timeout : undefined);
    process.stdin.pipe(guard);
    return { reader: new StreamMessageReader(guard), writer: new StreamMessageWriter(process.stdout) };
  }
  if (argv.includes('--node-ipc')) return { reader: new IPCMessageReader(process), writer: new IPCMessageWriter(process) };
  return undefined;
}
