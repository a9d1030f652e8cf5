import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { CodeActionRequest, ExecuteCommandRequest, type CodeAction, type Diagnostic, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver-protocol';
import { LspClient, ROOT, makeWorkspace, testServer } from './support/client';
import { GO_MAIN, GO_MOD, applyTextEdits } from './support/text';

/** The edits of a code action for `uri`, whichever WorkspaceEdit form the server chose. */
function editsFor(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  if (!edit) return [];
  if (edit.changes) return edit.changes[uri] ?? [];
  const out: TextEdit[] = [];
  for (const c of edit.documentChanges ?? []) if ('textDocument' in c && c.textDocument.uri === uri) out.push(...(c.edits as TextEdit[]));
  return out;
}

async function actions(client: LspClient, uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const result = await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) } });
  return (result ?? []) as CodeAction[];
}

test('quick fixes come in style.md order, apply to the expected text, and lazy fixes work', async () => {
  const folder = makeWorkspace({ 'go.mod': GO_MOD, 'main.go': GO_MAIN });
  const client = await LspClient.start(await testServer(), { folder });
  try {
    const uri = await client.open(path.join(folder, 'main.go'), GO_MAIN, 'go');
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    const list = await actions(client, uri, [diagnostics[0]]);
    assert.deepEqual(list.map((a) => [a.title, a.kind, a.isPreferred ?? false]), [
      ['Use fmt.Print', 'quickfix', true],
      ['Remove the call', 'quickfix', false],
      ['Fix all go/test-println in file', 'quickfix', false],
      ['Ignore go/test-println on this line', 'quickfix', false],
      ['Ignore go/test-println in this file', 'quickfix', false],
      ['Show docs for go/test-println', 'quickfix', false],
    ]);
    const apply = (title: string): string => applyTextEdits(GO_MAIN, editsFor(list.find((a) => a.title === title)?.edit, uri));
    assert.equal(apply('Use fmt.Print'), GO_MAIN.replace('fmt.Println("héllo', 'fmt.Print("héllo'));
    assert.equal(apply('Remove the call'), GO_MAIN.replace('fmt.Println("héllo 🚀")', '_ = 0'));
    assert.equal(apply('Fix all go/test-println in file'), GO_MAIN.replaceAll('fmt.Println', 'fmt.Print'));
    assert.equal(apply('Ignore go/test-println on this line'), GO_MAIN.replace('\tfmt.Println("héllo', '\t// shipshape:ignore go/test-println\n\tfmt.Println("héllo'));
    assert.equal(apply('Ignore go/test-println in this file'), GO_MAIN.replace('package main\n', 'package main\n// shipshape:ignore-file go/test-println\n'));
    // The quick fix is a minimal edit, never the whole document.
    const fix = editsFor(list[0].edit, uri);
    assert.equal(fix.length, 1);
    assert.equal(fix[0].newText, 'Print');

    // Applying the ignore-on-line edit makes that finding disappear (and only that one).
    const ignored = apply('Ignore go/test-println on this line');
    const v = await client.replaceText(uri, ignored);
    const after = await client.diagnosticsFor(uri, v);
    assert.deepEqual(after.diagnostics.map((d) => d.code), ['go/test-println']);

    const docs = list.find((a) => a.title === 'Show docs for go/test-println');
    assert.ok(docs?.command);
    await client.connection.sendRequest(ExecuteCommandRequest.type, { command: docs.command.command, arguments: docs.command.arguments });
    // "Show docs" previews the bundled page offline; the diagnostic links the https page.
    assert.deepEqual(client.shownDocuments, [pathToFileURL(path.join(ROOT, 'docs', 'rules', 'go', 'test-println.md')).href]);
    assert.match(diagnostics[0].codeDescription?.href ?? '', /^https:\/\/.*\/docs\/rules\/go\/test-println\.md$/);
  } finally {
    await client.shutdown();
  }
});

test('source.fixAll.shipshape applies safe fixes only, re-analysing between passes, as minimal edits', async () => {
  const text = `${GO_MAIN}\nfunc other() {\n\tfmt.Println("x"); fmt.Println("y")\n}\n`;
  const dockerfile = '# café\nFROM alpine:latest\n';
  const folder = makeWorkspace({ 'go.mod': GO_MOD, 'main.go': text, Dockerfile: dockerfile });
  const client = await LspClient.start(await testServer(), { folder });
  try {
    const uri = await client.open(path.join(folder, 'main.go'), text, 'go');
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    assert.equal(diagnostics.length, 4);
    const list = await actions(client, uri, [], ['source.fixAll']);
    assert.deepEqual(list.map((a) => [a.title, a.kind]), [['Fix all safe Shipshape problems', 'source.fixAll.shipshape']]);
    const edits = editsFor(list[0].edit, uri);
    // Println → Print (pass 1, test-println) → Printf (pass 2, test-print): two passes, the unsafe "Remove the call" never.
    assert.equal(applyTextEdits(text, edits), text.replaceAll('fmt.Println', 'fmt.Printf'));
    assert.ok(edits.every((e) => e.range.start.line === e.range.end.line && e.newText.length <= 'Printf'.length), JSON.stringify(edits));
    // Quick fixes are not computed for a source-only request, and vice versa.
    assert.deepEqual((await actions(client, uri, diagnostics, ['quickfix'])).filter((a) => a.kind?.startsWith('source')), []);
    // A file whose only fix is unsafe gets no fix-all action.
    const dockerUri = await client.open(path.join(folder, 'Dockerfile'), dockerfile, 'dockerfile');
    await client.diagnosticsFor(dockerUri, 1);
    assert.deepEqual(await actions(client, dockerUri, [], ['source.fixAll.shipshape']), []);
  } finally {
    await client.shutdown();
  }
});

test('a document whose real path is outside the workspace folders gets no edits: no quick fix, no ignore, no fix-all', async () => {
  const outside = makeWorkspace({ 'client.go': GO_MAIN });
  const folder = makeWorkspace({ 'go.mod': GO_MOD, 'main.go': GO_MAIN });
  fs.symlinkSync(path.join(outside, 'client.go'), path.join(folder, 'client.go'));
  const client = await LspClient.start(await testServer(), { folder });
  try {
    const linked = await client.open(path.join(folder, 'client.go'), GO_MAIN, 'go');
    const { diagnostics } = await client.diagnosticsFor(linked, 1);
    assert.ok(diagnostics.length > 0, 'still analysed');
    const list = await actions(client, linked, [diagnostics[0]]);
    assert.deepEqual(list.map((a) => a.title), ['Show docs for go/test-println']);
    assert.ok(list.every((a) => a.edit === undefined));
    assert.deepEqual(await actions(client, linked, [], ['source.fixAll']), []);
    // The same file inside the folder keeps every action.
    const inside = await client.open(path.join(folder, 'main.go'), GO_MAIN, 'go');
    const own = await client.diagnosticsFor(inside, 1);
    assert.equal((await actions(client, inside, [own.diagnostics[0]])).filter((a) => a.edit !== undefined).length, 5);
    assert.equal((await actions(client, inside, [], ['source.fixAll'])).length, 1);
  } finally {
    await client.shutdown();
    fs.rmSync(outside, { recursive: true, force: true });
    fs.rmSync(folder, { recursive: true, force: true });
  }
});
