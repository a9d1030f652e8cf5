// The engine-owned service model as rules read it (`ctx.workspace.serviceModel()`):
// built once per engine and roots, brought up to date by `filesChanged`, and every
// answer recorded as dependencies of the analysis that asked.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analyze';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { defineCrossRule, type AnyRule } from '../../server/src/engine/rule';
import { memoryFileSource } from '../support/memory-source';

const W = '/w';
let files: Record<string, string> = {};
const MAIN = (route: string): string => `package main

import "net/http"

func main() {
\thttp.HandleFunc("${route}", func(w http.ResponseWriter, r *http.Request) {})
\t_ = http.ListenAndServe(":8080", nil)
}
`;
const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:1.0
          readinessProbe:
            httpGet: { path: /healthz, port: 8080 }
`;

/** A cross rule that reports the routes of the main package its container runs. */
const probe = defineCrossRule({
  id: 'x/test-routes',
  appliesTo: ['k8s'],
  meta: { title: 't', description: 't', severity: 'warning', fixable: false, messages: { routes: 'routes {routes}' } },
  check(ctx, file) {
    if (file.kind !== 'k8s') return;
    const model = ctx.workspace.serviceModel();
    const found = model?.container(ctx.filePath, 'Deployment', 'api', 'api');
    const main = found?.services.at(0)?.main;
    if (main) ctx.report({ span: { start: 0, end: 4 }, messageId: 'routes', data: { routes: main.routes.map((r) => r.path).join(',') } });
  },
});
const RULES: AnyRule[] = [probe];
let engine: Engine;
let builds = 0;

before(async () => {
  const source = memoryFileSource(() => files);
  const counting = { ...source, listDir: (d: string) => (d === W && builds++, source.listDir(d)) };
  engine = await Engine.create(RULES, counting);
});
after(() => { engine.dispose(); });

function analyse(file: string): { messages: string[]; dependencies: string[] } {
  const config = new StaticConfigResolver(RULES, {}, W);
  const a = engine.analyze({ path: file, text: files[file] }, { config: config.forFile(file), roots: [W] });
  return { messages: a.findings.map((f) => f.message), dependencies: a.dependencies };
}

test('a rule reads the linked main package through the engine model; the reads are dependencies; changes are seen after filesChanged', () => {
  files = {
    [`${W}/go.mod`]: 'module example.com/api\n\ngo 1.22\n',
    [`${W}/cmd/api/main.go`]: MAIN('/healthz'),
    [`${W}/cmd/api/Dockerfile`]: 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /api .\nFROM scratch\nCOPY --from=build /api /api\nENTRYPOINT ["/api"]\n',
    [`${W}/deploy/deploy.yaml`]: DEPLOY,
    [`${W}/deploy/other.yaml`]: DEPLOY.replace(/api/g, 'web'),
  };
  const first = analyse(`${W}/deploy/deploy.yaml`);
  assert.deepEqual(first.messages, ['routes /healthz']);
  for (const dep of [`${W}/cmd/api/main.go`, `${W}/cmd/api`, `${W}/cmd/api/Dockerfile`, `${W}/go.mod`]) assert.ok(first.dependencies.includes(dep), `${dep} in ${first.dependencies.join(', ')}`);
  // Not a file the answer rests on.
  assert.ok(!first.dependencies.includes(`${W}/deploy/other.yaml`));
  // Built once for the engine: a second analysis reuses the model.
  const walks = builds;
  analyse(`${W}/deploy/deploy.yaml`);
  assert.equal(builds, walks);
  // The Go file changes: without a word from the host the model is as it was; after filesChanged it is current.
  files = { ...files, [`${W}/cmd/api/main.go`]: MAIN('/ready') };
  engine.filesChanged([`${W}/cmd/api/main.go`]);
  assert.deepEqual(analyse(`${W}/deploy/deploy.yaml`).messages, ['routes /ready']);
  assert.equal(builds, walks, 'updated incrementally, not walked again');
});

test('no model for a file outside every root', () => {
  const config = new StaticConfigResolver(RULES, {}, '/elsewhere');
  const a = engine.analyze({ path: '/elsewhere/deploy.yaml', text: DEPLOY }, { config: config.forFile('/elsewhere/deploy.yaml'), roots: [W] });
  assert.deepEqual(a.findings, []);
});
