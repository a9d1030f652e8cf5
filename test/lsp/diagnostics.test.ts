import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LspClient, ROOT, builtServer, makeWorkspace, testServer } from './support/client';
import { GO_MAIN, GO_MOD, rangeOf } from './support/text';

test('the built dist/server.js initializes over stdio, shuts down and exits 0', async () => {
  const folder = makeWorkspace({ 'go.mod': GO_MOD, 'main.go': GO_MAIN });
  const client = await LspClient.start(builtServer(), { folder });
  const uri = await client.open(path.join(folder, 'main.go'), GO_MAIN, 'go');
  const published = await client.diagnosticsFor(uri, 1);
  assert.ok(Array.isArray(published.diagnostics));
  assert.equal(await client.shutdown(), 0);
});

test('didOpen publishes each finding with exact range, rule id, docs link, source and key', async () => {
  const folder = makeWorkspace({ 'go.mod': GO_MOD, 'main.go': GO_MAIN });
  const client = await LspClient.start(await testServer(), { folder });
  try {
    const uri = await client.open(path.join(folder, 'main.go'), GO_MAIN, 'go');
    const { diagnostics, version } = await client.diagnosticsFor(uri, 1);
    assert.equal(version, 1);
    assert.deepEqual(diagnostics.map((d) => d.range), [rangeOf(GO_MAIN, 'fmt.Println', 0), rangeOf(GO_MAIN, 'fmt.Println', 1)]);
    const d = diagnostics[0];
    assert.equal(d.source, 'shipshape');
    assert.equal(d.code, 'go/test-println');
    assert.equal(d.severity, 2);
    assert.equal(d.message, 'fmt.Println writes to stdout unbuffered; use the logger');
    // The rule's https page for the released version, derived from package.json (server/src/rule-docs.ts).
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; repository: { url: string } };
    const repo = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    assert.equal(d.codeDescription?.href, `${repo}/blob/v${pkg.version}/docs/rules/go/test-println.md`);
    assert.match(d.codeDescription.href, /^https:\/\//);
    assert.equal(typeof (d.data as { key: unknown }).key, 'string');
    assert.notEqual((diagnostics[0].data as { key: string }).key, (diagnostics[1].data as { key: string }).key);
  } finally {
    await client.shutdown();
  }
});

test('a Dockerfile finding lands on its exact range; YAML that is no manifest gets none', async () => {
  const dockerfile = '# café 🚀\nFROM golang:latest AS build\nRUN go build ./...\n';
  const folder = makeWorkspace({ Dockerfile: dockerfile, 'notes.yaml': 'a: 1\n' });
  const client = await LspClient.start(await testServer(), { folder });
  try {
    const uri = await client.open(path.join(folder, 'Dockerfile'), dockerfile, 'dockerfile');
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range, d.severity]), [['docker/test-latest', rangeOf(dockerfile, 'golang:latest'), 1]]);
    const yamlUri = await client.open(path.join(folder, 'notes.yaml'), 'a: 1\n', 'yaml');
    assert.deepEqual((await client.diagnosticsFor(yamlUri, 1)).diagnostics, []);
  } finally {
    await client.shutdown();
  }
});

test('settings: a rule set to off in shipshape.rules publishes nothing; severity from settings wins', async () => {
  const folder = makeWorkspace({ 'go.mod': GO_MOD, 'main.go': GO_MAIN });
  const client = await LspClient.start(await testServer(), { folder, settings: { rules: { 'go/test-println': 'error' } } });
  try {
    const uri = await client.open(path.join(folder, 'main.go'), GO_MAIN, 'go');
    const first = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(first.diagnostics.map((d) => d.severity), [1, 1]);
    client.settings = { rules: { 'go/test-println': 'off' } };
    const since = client.published.length;
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const after = await client.waitFor((p) => p.uri === uri, 10000, since);
    assert.deepEqual(after.diagnostics, []);
  } finally {
    await client.shutdown();
  }
});
