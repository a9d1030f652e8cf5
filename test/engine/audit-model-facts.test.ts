import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { collectFiles, auditFiles, MODEL_GO_FACTS } from '../../server/src/engine/audit';
import { RULES } from '../../server/src/rules/index';

/**
 * An audit with Dockerfiles and manifests reads the service model, which is
 * built from every Go file's facts: those come from the trees the audit parses
 * anyway (Go files first), so each Go file is parsed once, and the findings
 * are those of an audit that builds the model by parsing every Go file again.
 */

let tmp: string;
before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-model-facts-'));
  const files: Record<string, string> = {
    'go.mod': 'module example.com/svc\n\ngo 1.22\n',
    'cmd/api/main.go': `package main

import (
	"net/http"

	"example.com/svc/internal/store"
)

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { store.Ping() })
	_ = http.ListenAndServe(":8080", mux)
}
`,
    'internal/store/store.go': 'package store\n\n// Ping says the store is up.\nfunc Ping() {}\n',
    'internal/util/util.go': 'package util\n\n// café 🚀\nfunc Join(a, b string) string { return a + b }\n',
    Dockerfile: 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /api ./cmd/api\n\nFROM gcr.io/distroless/static\nCOPY --from=build /api /api\nENTRYPOINT ["/api"]\n',
    'skaffold.yaml': 'apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n    - image: example.com/svc\n      docker:\n        dockerfile: Dockerfile\n',
    'deploy/api.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
    spec:
      containers:
        - name: api
          image: example.com/svc
          ports: [{ containerPort: 9090 }]
          readinessProbe:
            httpGet: { path: /ready, port: 9090 }
`,
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(tmp, name)), { recursive: true });
    fs.writeFileSync(path.join(tmp, name), text);
  }
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** An audit of the workspace; `modelParses`: the Go files parsed while the service model was built. */
async function audit(modelFacts: boolean): Promise<{ modelParses: string[]; findings: string[]; files: string[] }> {
  const engine = await Engine.create(RULES, new DiskFileSource(5 * 1024 * 1024));
  const modelParses: string[] = [];
  let inModel = false;
  const parser = engine.goParser;
  const parse = parser.parse.bind(parser);
  parser.parse = (filePath, ...rest) => {
    if (inModel) modelParses.push(path.relative(tmp, filePath));
    return parse(filePath, ...rest);
  };
  const models = engine.models;
  const modelFor = models.modelFor.bind(models);
  models.modelFor = (roots) => {
    inModel = true;
    try {
      return modelFor(roots);
    } finally {
      inModel = false;
    }
  };
  try {
    const config = new StaticConfigResolver(RULES, {}, tmp);
    const result = auditFiles(engine, collectFiles([tmp], config), { roots: [tmp], config, modelFacts });
    return {
      modelParses: modelParses.sort(),
      findings: result.findings.map((f) => `${path.relative(tmp, f.file)}:${f.span.start} ${f.ruleId} ${f.message}`),
      files: result.analyses.map((a) => path.relative(tmp, a.path)),
    };
  } finally {
    engine.dispose();
  }
}

test('the service model is built from the facts the audit left, parsing no Go file; the findings are those of a model built by parsing', async () => {
  const once = await audit(true);
  const twice = await audit(false);
  assert.deepEqual(once.modelParses, []);
  // Without the audit's trees, the model (built before the Dockerfile, the first file) parses every Go file.
  assert.deepEqual(twice.modelParses, ['cmd/api/main.go', 'internal/store/store.go', 'internal/util/util.go']);
  assert.deepEqual(once.findings, twice.findings);
  // The model was read: the manifest's probe and port disagree with what the linked Go program serves.
  assert.ok(once.findings.some((f) => f.startsWith('deploy/api.yaml') && f.includes('x/')), once.findings.join('\n'));
  // Results in the files' order, although Go files were audited first.
  assert.deepEqual(once.files, ['Dockerfile', 'cmd/api/main.go', 'deploy/api.yaml', 'internal/store/store.go', 'internal/util/util.go', 'skaffold.yaml']);
});

test('facts one engine computed, imported by another (audit workers): its model parses no Go file; a changed file is parsed again', async () => {
  const files = ['cmd/api/main.go', 'internal/store/store.go', 'internal/util/util.go'].map((f) => path.join(tmp, f));
  const config = new StaticConfigResolver(RULES, {}, tmp);
  const first = await Engine.create(RULES, new DiskFileSource(5 * 1024 * 1024));
  let shared;
  try {
    auditFiles(first, { files, notices: [], missing: [] }, { roots: [tmp], config, modelFacts: true });
    shared = first.facts.exportFacts(files, MODEL_GO_FACTS.map((f) => f.id));
  } finally {
    first.dispose();
  }
  assert.deepEqual(new Set(shared.map((f) => path.relative(tmp, f.path))), new Set(['cmd/api/main.go', 'internal/store/store.go', 'internal/util/util.go']));
  const parsesAfterImport = async (change?: string): Promise<string[]> => {
    const second = await Engine.create(RULES, new DiskFileSource(5 * 1024 * 1024));
    const parsed: string[] = [];
    const parser = second.goParser;
    const parse = parser.parse.bind(parser);
    parser.parse = (filePath, ...rest) => {
      parsed.push(path.relative(tmp, filePath));
      return parse(filePath, ...rest);
    };
    try {
      second.facts.importFacts(shared);
      if (change) fs.appendFileSync(path.join(tmp, change), '\n// changed\n');
      const model = second.models.modelFor([tmp]);
      assert.deepEqual(model?.model.mains.length, 1, 'the model has the main package');
      return parsed;
    } finally {
      second.dispose();
    }
  };
  assert.deepEqual(await parsesAfterImport(), []);
  // A fact is keyed by its content: a file changed since is parsed again, never read from a stale fact.
  assert.deepEqual(await parsesAfterImport('internal/util/util.go'), ['internal/util/util.go']);
});
