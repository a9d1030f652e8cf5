import type { Connection, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextChange } from '../engine/incremental';

export interface DocumentEvents {
  opened(doc: TextDocument): void;
  /** `changes` are offsets into the text before each change, in order (what incremental parsing needs). */
  changed(doc: TextDocument, changes: TextChange[]): void;
  saved(doc: TextDocument): void;
  closed(doc: TextDocument): void;
  /** A change notification that was rejected whole (nothing applied), and why. */
  rejected?(uri: string, why: string): void;
}

/**
 * Open documents, synced incrementally. Like vscode-languageserver's
 * `TextDocuments`, but it also hands out each change as offsets into the text
 * it applied to, so the engine can edit the previous tree instead of parsing anew.
 */
export class DocumentStore {
  private readonly docs = new Map<string, TextDocument>();

  get(uri: string): TextDocument | undefined {
    return this.docs.get(uri);
  }

  listen(connection: Connection, events: DocumentEvents): void {
    connection.onDidOpenTextDocument(({ textDocument: t }) => {
      const doc = TextDocument.create(t.uri, t.languageId, t.version, t.text);
      this.docs.set(t.uri, doc);
      events.opened(doc);
    });
    connection.onDidChangeTextDocument(({ textDocument, contentChanges }) => {
      const doc = this.docs.get(textDocument.uri);
      if (!doc || !Array.isArray(contentChanges) || contentChanges.length === 0) return;
      // Validate every change before applying any: a half-applied notification desynchronises the copy for good.
      const why = invalidChange(textDocument.version, contentChanges);
      if (why !== undefined) {
        events.rejected?.(textDocument.uri, why);
        return;
      }
      const changes = contentChanges.map((c) => applyChange(doc, c, textDocument.version));
      events.changed(doc, changes);
    });
    connection.onDidSaveTextDocument(({ textDocument }) => {
      const doc = this.docs.get(textDocument.uri);
      if (doc) events.saved(doc);
    });
    connection.onDidCloseTextDocument(({ textDocument }) => {
      const doc = this.docs.get(textDocument.uri);
      if (!doc) return;
      this.docs.delete(textDocument.uri);
      events.closed(doc);
    });
  }
}

/** Why a didChange cannot be applied as sent (`range: null`, a text that is not a string, a bad version); undefined when it can. */
export function invalidChange(version: unknown, changes: readonly unknown[]): string | undefined {
  if (typeof version !== 'number' || !Number.isInteger(version)) return `version ${JSON.stringify(version)} is not an integer`;
  for (const [i, c] of changes.entries()) {
    if (typeof c !== 'object' || c === null) return `change ${i} is not an object`;
    const change = c as { text?: unknown; range?: unknown };
    if (typeof change.text !== 'string') return `change ${i} has no text`;
    if (!('range' in change) || change.range === undefined) continue;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- `in` narrowed range to unknown; the fields are read below
    const r = change.range as { start?: unknown; end?: unknown } | null;
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JSON.stringify returns undefined for undefined
    if (typeof r !== 'object' || r === null || !isPosition(r.start) || !isPosition(r.end)) return `change ${i} has an invalid range ${JSON.stringify(change.range)?.slice(0, 80)}`;
  }
  return undefined;
}

function isPosition(p: unknown): boolean {
  if (typeof p !== 'object' || p === null) return false;
  const { line, character } = p as { line?: unknown; character?: unknown };
  return Number.isInteger(line) && Number.isInteger(character) && (line as number) >= 0 && (character as number) >= 0;
}

/** Applies one change to `doc` and returns it as offsets into the text before it. */
export function applyChange(doc: TextDocument, change: TextDocumentContentChangeEvent, version: number): TextChange {
  const before = doc.getText().length;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- a client may send range: null or omit it (the protocol types say otherwise)
  const out: TextChange = 'range' in change && change.range !== undefined
    ? { start: doc.offsetAt(change.range.start), end: doc.offsetAt(change.range.end), text: change.text }
    : { start: 0, end: before, text: change.text };
  TextDocument.update(doc, [change], version);
  return out;
}
