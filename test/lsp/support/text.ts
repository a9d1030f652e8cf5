// Expected positions come from the text itself, never counted by hand.
import type { Range, TextEdit } from 'vscode-languageserver-protocol';
import { TextDocument } from 'vscode-languageserver-textdocument';

/** LSP range of the `nth` (0-based) occurrence of `needle` in `text`. */
export function rangeOf(text: string, needle: string, nth = 0): Range {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`"${needle}" #${nth} not in text`);
  }
  const doc = TextDocument.create('file:///x', 'plain', 1, text);
  return { start: doc.positionAt(at), end: doc.positionAt(at + needle.length) };
}

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x', 'plain', 1, text), [...edits]);
}

export const GO_MAIN = `package main

import "fmt"

// café 🚀 日本
func main() {
\tfmt.Println("héllo 🚀")
\tfmt.Println("two")
}
`;

export const GO_MOD = 'module example.com/shop\n\ngo 1.22\n';
