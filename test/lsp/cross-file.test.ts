import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { LspClient, fileUri, makeWorkspace, testServer } from './support/client';
import { rangeOf } from './support/text';
import { SERVICE_MAP_METHOD, type ServiceMapResult } from '../../server/src/host-shared/protocol';

// A finding one file's analysis makes about another file is published in the file it concerns,
// with relatedInformation pointing back, merged with that file's own diagnostics; it goes
// away when the analysing file no longer reports it.

const MAIN = '// café 🚀\npackage main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n';
const DOCKERFILE = 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\n';

test('a cross-file finding lands in the file it concerns, with relatedInformation to the other side', async () => {
  const folder = makeWorkspace({ 'main.go': MAIN, Dockerfile: DOCKERFILE });
  const client = await LspClient.start(await testServer(), { folder });
  try {
    const mainUri = fileUri(path.join(folder, 'main.go'));
    const since = client.published.length;
    const dockerUri = await client.open(path.join(folder, 'Dockerfile'), DOCKERFILE, 'dockerfile');
    const inMain = await client.waitFor((p) => p.uri === mainUri && p.diagnostics.length > 0, 10000, since);
    assert.deepEqual(inMain.diagnostics.map((d) => [d.code, d.range, d.message]), [
      ['docker/test-cross-file', rangeOf(MAIN, 'package main'), 'this package is built by Dockerfile'],
    ]);
    const related = inMain.diagnostics[0].relatedInformation ?? [];
    assert.deepEqual(related.map((r) => [r.location.uri, r.location.range, r.message]), [[dockerUri, rangeOf(DOCKERFILE, 'RUN go build -o /out/app .'), 'the go build']]);
    // The Dockerfile's own diagnostics do not carry it.
    assert.deepEqual((await client.diagnosticsFor(dockerUri, 1)).diagnostics.map((d) => d.code), []);

    // main.go opened: its own findings and the Dockerfile's, together.
    const beforeOpen = client.published.length;
    await client.open(path.join(folder, 'main.go'), MAIN, 'go');
    const both = await client.waitFor((p) => p.uri === mainUri && p.diagnostics.length === 2, 10000, beforeOpen);
    assert.deepEqual(both.diagnostics.map((d) => d.code).sort(), ['docker/test-cross-file', 'go/test-println']);

    // The Dockerfile no longer builds Go: main.go keeps only its own finding.
    const beforeEdit = client.published.length;
    await client.change(dockerUri, [{ text: 'FROM golang:1.22 AS build\nRUN true\n' }]);
    const after = await client.waitFor((p) => p.uri === mainUri && p.diagnostics.length === 1, 10000, beforeEdit);
    assert.deepEqual(after.diagnostics.map((d) => d.code), ['go/test-println']);
  } finally {
    await client.shutdown();
  }
});

test('shipshape/serviceMap: the rows of the Service Map view, links with reasons, what is not linked', async () => {
  const folder = path.join(__dirname, '..', 'workspace-model', 'fixtures', 'ko');
  const client = await LspClient.start(await testServer(), { folder });
  try {
    const result = await client.connection.sendRequest<ServiceMapResult>(SERVICE_MAP_METHOD, {});
    assert.deepEqual([result.services, result.unlinked], [1, 1]);
    assert.equal(result.items[0].label, 'ingest');
    const container = result.items[0].children?.find((c) => c.kind === 'container' && c.label.includes('ingest-ko'));
    assert.deepEqual(container?.children?.map((c) => [c.kind, c.label]), [['link', 'skaffold'], ['unlinked', 'livenessProbe /livez'], ['info', 'readinessProbe /healthz']]);
    assert.equal(container.uri, fileUri(path.join(folder, 'k8s', 'ko-skaffold.yaml')));
    const notLinked = result.items[result.items.length - 1];
    assert.equal(notLinked.label, 'Not linked');
    assert.match(notLinked.children?.[0].description ?? '', /^unresolved: ko:\/\/example\.com\/kosvc\/cmd\/ghost: no main package/);
    assert.match(result.mermaid, /^flowchart LR/);
  } finally {
    await client.shutdown();
  }
});
