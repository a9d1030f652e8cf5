import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, fileUri, makeWorkspace, testServer } from './support/client';
import { GO_MAIN, GO_MOD } from './support/text';

test('.shipshape.yaml wins over settings; editing it on disk re-configures; an invalid one is reported on the file', async () => {
  const folder = makeWorkspace({ 'go.mod': GO_MOD, 'main.go': GO_MAIN, '.shipshape.yaml': 'rules:\n  go/test-println: info\n' });
  const client = await LspClient.start(await testServer(), { folder, settings: { rules: { 'go/test-println': 'error' } } });
  try {
    const uri = await client.open(path.join(folder, 'main.go'), GO_MAIN, 'go');
    assert.deepEqual((await client.diagnosticsFor(uri, 1)).diagnostics.map((d) => d.severity), [3, 3]);

    const configUri = fileUri(path.join(folder, '.shipshape.yaml'));
    fs.writeFileSync(path.join(folder, '.shipshape.yaml'), 'rules:\n  go/test-println: off\n');
    let since = client.published.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    assert.deepEqual((await client.waitFor((p) => p.uri === uri, 10000, since)).diagnostics, []);

    fs.writeFileSync(path.join(folder, '.shipshape.yaml'), 'rules:\n  go/test-println: loud\n');
    since = client.published.length;
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
    const problems = await client.waitFor((p) => p.uri === configUri, 10000, since);
    assert.equal(problems.diagnostics.length, 1);
    assert.equal(problems.diagnostics[0].range.start.line, 1);
    // Until the file is fixed, the folder runs on the settings alone (error).
    const fallback = await client.waitFor((p) => p.uri === uri, 10000, since);
    assert.deepEqual(fallback.diagnostics.map((d) => d.severity), [1, 1]);
  } finally {
    await client.shutdown();
  }
});
