import type { Connection, TextDocumentContentChangeEvent } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextChange } from '../engine/incremental';

export interface DocumentEvents {
  opened(doc: TextDocument): void;
  /** `changes` are offsets into the text before each change, in order (what incremental parsing needs). */
  changed(doc: TextDocument, changes: TextChange[]): void;
  saved(doc: TextDocument): void;
  closed(doc: TextDocument): void;
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
      if (!doc || contentChanges.length === 0) return;
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

/** Applies one change to `doc` and returns it as offsets into the text before it. */
export function applyChange(doc: TextDocument, change: TextDocumentContentChangeEvent, version: number): TextChange {
  const before = doc.getText().length;
  const out: TextChange = 'range' in change
    ? { start: doc.offsetAt(change.range.start), end: doc.offsetAt(change.range.end), text: change.text }
    : { start: 0, end: before, text: change.text };
  TextDocument.update(doc, [change], version);
  return out;
}
