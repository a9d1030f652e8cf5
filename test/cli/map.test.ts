// shipshape map: text, JSON and Mermaid on a fixture workspace of the service model.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { ensureBuilt, shipshape } from '../support/cli';

before(ensureBuilt);

const KUSTOMIZE = path.join(__dirname, '..', 'workspace-model', 'fixtures', 'kustomize');

test('shipshape map: each service with its links and reasons (text)', () => {
  const r = shipshape(['map', KUSTOMIZE], process.cwd());
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^service billing-svc$/m);
  assert.match(r.stdout, /^ {2}main package {2}cmd\/billing-svc {2}\(module example\.com\/billing, go 1\.22\)$/m);
  assert.match(r.stdout, /<- build-script: Makefile: a docker build line builds ghcr\.io\/acme\/billing from build\/Dockerfile/);
  assert.match(r.stdout, /<- kustomize-image: deploy\/kustomization\.yaml images: rewrites billing-app to ghcr\.io\/acme\/billing/);
  assert.match(r.stdout, /^1 service\(s\), 3 link\(s\), 0 not linked$/m);
});

test('shipshape map -f json: the model with relative paths; -f mermaid: a flowchart', () => {
  const json = shipshape(['map', KUSTOMIZE, '-f', 'json'], process.cwd());
  assert.equal(json.code, 0, json.stderr);
  const model = JSON.parse(json.stdout) as { links: { kind: string; from: string; to: string }[]; services: { name: string; main: string }[] };
  assert.deepEqual(model.links.map((l) => `${l.kind} ${l.from} -> ${l.to}`).sort(), [
    'build-script container:deploy/deploy.yaml#Deployment/billing/billing -> dockerfile:build/Dockerfile',
    'go-build dockerfile:build/Dockerfile -> main:cmd/billing-svc',
    'kustomize-image container:deploy/deploy.yaml#Deployment/billing/billing -> image:ghcr.io/acme/billing',
  ]);
  assert.equal(model.services[0].main, 'main:cmd/billing-svc');
  const mermaid = shipshape(['map', KUSTOMIZE, '-f', 'mermaid'], process.cwd());
  assert.match(mermaid.stdout, /^flowchart LR$/m);
  assert.match(mermaid.stdout, /-->\|go-build\|/);
  const missing = shipshape(['map', path.join(KUSTOMIZE, 'nope')], process.cwd());
  assert.equal(missing.code, 2);
});
