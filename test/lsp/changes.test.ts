import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { LspClient, makeWorkspace, testServer } from './support/client';
import { GO_MAIN, GO_MOD, rangeOf } from './support/text';

test('a didChange that fixes the code clears the diagnostic; closing clears the rest', async () => {
  const folder = makeWorkspace({ 'go.mod': GO_MOD, 'main.go': GO_MAIN });
  const client = await LspClient.start(await testServer(), { folder });
  try {
    const uri = await client.open(path.join(folder, 'main.go'), GO_MAIN, 'go');
    assert.equal((await client.diagnosticsFor(uri, 1)).diagnostics.length, 2);
    // Incremental edit: "Println" → "Errorf" on the first call only (not a fmt.Print* the test rules flag).
    const first = rangeOf(GO_MAIN, 'Println', 0);
    const v2 = await client.change(uri, [{ range: first, text: 'Errorf' }]);
    const after = await client.diagnosticsFor(uri, v2);
    assert.deepEqual(after.diagnostics.map((d) => d.range), [rangeOf(client.text(uri), 'fmt.Println', 0)]);
    const since = client.published.length;
    await client.close(uri);
    const closed = await client.waitFor((p) => p.uri === uri, 10000, since);
    assert.deepEqual(closed.diagnostics, []);
  } finally {
    await client.shutdown();
  }
});

test('a burst of 200 changes publishes diagnostics only for the last version', async () => {
  const folder = makeWorkspace({ 'go.mod': GO_MOD, 'main.go': GO_MAIN });
  const client = await LspClient.start(await testServer(), { folder });
  try {
    const uri = await client.open(path.join(folder, 'main.go'), GO_MAIN, 'go');
    await client.diagnosticsFor(uri, 1);
    const since = client.published.length;
    const changes: TextDocumentContentChangeEvent[][] = [];
    // Each change types one character at the end of the comment line; the last adds a third Println.
    for (let i = 0; i < 199; i++) changes.push([{ range: { start: { line: 4, character: 12 + i }, end: { line: 4, character: 12 + i } }, text: 'x' }]);
    const body = rangeOf(GO_MAIN, '\tfmt.Println("two")');
    changes.push([{ range: { start: body.start, end: body.start }, text: '\tfmt.Println("three")\n' }]);
    const last = client.burst(uri, changes);
    assert.equal(last, 201);
    const final = await client.diagnosticsFor(uri, last, since);
    assert.equal(final.diagnostics.length, 3);
    await new Promise((r) => setTimeout(r, 500));
    const forUri = client.published.slice(since).filter((p) => p.uri === uri);
    assert.deepEqual(forUri.map((p) => p.version), [last]);
  } finally {
    await client.shutdown();
  }
});

test('shipshape.run onSave analyses on open and save, not while typing', async () => {
  const folder = makeWorkspace({ 'go.mod': GO_MOD, 'main.go': GO_MAIN });
  const client = await LspClient.start(await testServer(), { folder, settings: { run: 'onSave' } });
  try {
    const uri = await client.open(path.join(folder, 'main.go'), GO_MAIN, 'go');
    assert.equal((await client.diagnosticsFor(uri, 1)).diagnostics.length, 2);
    const since = client.published.length;
    const v2 = await client.change(uri, [{ range: rangeOf(GO_MAIN, 'Println', 0), text: 'Errorf' }]);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(client.published.length, since);
    await client.connection.sendNotification('textDocument/didSave', { textDocument: { uri } });
    assert.equal((await client.diagnosticsFor(uri, v2, since)).diagnostics.length, 1);
  } finally {
    await client.shutdown();
  }
});
