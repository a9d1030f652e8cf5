// Audit workers share facts: a package's facts computed by one worker are what another reads, so no Go file is
// parsed twice across the run, and the findings are those of one thread.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { auditFiles, collectFiles } from '../../server/src/engine/audit';
import { goEngineOptions } from '../../server/src/host-shared/go-env';
import { RULES } from '../../server/src/rules/index';
import { makeResolver } from '../../server/src/cli/config-resolver';
import { auditInWorkers } from '../../server/src/cli/parallel-audit';
import { planTasks, SharedFacts, TaskQueue, type AuditTask } from '../../server/src/cli/audit-schedule';
import { importPaths } from '../../server/src/cli/go-import-scan';
import type { SharedFact } from '../../server/src/engine/fact-store';
import { factAnalysisIds } from '../../server/src/core/analysis';

let tmp: string;
/** Packages that import each other (app -> svc, store; svc -> store, model, util; store -> model, util), several files each, and a service to link. */
const FILES: Record<string, string> = {
  'go.mod': 'module example.com/shop\n\ngo 1.22\n',
  'model/order.go': 'package model\n\n// Order is large: ranging over orders by value copies it.\ntype Order struct {\n\tID    string\n\tLines [64]int64\n\tNote  string\n}\n',
  'model/money.go': 'package model\n\n// café 🚀\ntype Money int64\n\nfunc (m Money) Cents() int64 { return int64(m) }\n',
  'store/store.go': 'package store\n\nimport (\n\t"context"\n\n\t"example.com/shop/model"\n)\n\n// Load reads the orders.\nfunc Load(ctx context.Context) []model.Order {\n\t_ = ctx\n\treturn nil\n}\n',
  'store/db.go': 'package store\n\nimport (\n\t"database/sql"\n\n\t"example.com/shop/util"\n)\n\nfunc Open() (*sql.DB, error) { return sql.Open("postgres", "") }\n\nfunc Weigh(bs []util.Big) (n int64) {\n\tfor _, b := range bs {\n\t\tn += b.A[0]\n\t}\n\treturn n\n}\n',
  'util/big.go': 'package util\n\n// Big is large too.\ntype Big struct{ A [128]int64 }\n',
  'util/join.go': 'package util\n\nfunc Join(a, b string) string { return a + b }\n',
  'svc/svc.go': 'package svc\n\nimport (\n\t"context"\n\n\tm "example.com/shop/model"\n\t"example.com/shop/store"\n)\n\nfunc Total() int64 {\n\tvar t int64\n\tfor _, o := range store.Load(context.Background()) {\n\t\tt += o.Lines[0]\n\t}\n\tvar x m.Money\n\treturn t + x.Cents()\n}\n',
  'svc/orders.go': 'package svc\n\nimport (\n\t"example.com/shop/model"\n\t"example.com/shop/util"\n)\n\nfunc Sum(orders []model.Order, bs []util.Big) (n int64) {\n\tfor _, o := range orders {\n\t\tn += o.Lines[1]\n\t}\n\tfor _, b := range bs {\n\t\tn += b.A[1]\n\t}\n\treturn n\n}\n',
  'app/main.go': 'package main\n\nimport (\n\t"fmt"\n\t"net/http"\n\n\t"example.com/shop/store"\n\t"example.com/shop/svc"\n)\n\nvar _ = store.Open\n\nfunc main() {\n\thttp.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, svc.Total()) })\n\t_ = http.ListenAndServe(":8080", nil)\n}\n',
  'app/handlers.go': 'package main\n\nimport (\n\t"io"\n\t"net/http"\n)\n\nfunc echo(w http.ResponseWriter, r *http.Request) {\n\tb, _ := io.ReadAll(r.Body)\n\t_, _ = w.Write(b)\n}\n',
  'app/Dockerfile': 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /app ./app\n\nFROM scratch\nCOPY --from=build /app /app\nENTRYPOINT ["/app"]\n',
  'deploy/app.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  selector:\n    matchLabels: { app: app }\n  template:\n    metadata:\n      labels: { app: app }\n    spec:\n      containers:\n        - name: app\n          image: example.com/app\n          ports: [{ containerPort: 9090 }]\n          readinessProbe:\n            httpGet: { path: /ready, port: 9090 }\n',
  'deploy/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: app\nspec:\n  selector: { app: other }\n  ports: [{ port: 80, targetPort: 8080 }]\n',
};

before(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-workers-facts-')));
  for (const [name, text] of Object.entries(FILES)) {
    fs.mkdirSync(path.dirname(path.join(tmp, name)), { recursive: true });
    fs.writeFileSync(path.join(tmp, name), text);
  }
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const key = (f: { file: string; span: { start: number }; ruleId: string; message: string }): string => `${path.relative(tmp, f.file)}:${f.span.start} ${f.ruleId} ${f.message}`;

test('2 workers, packages importing each other: no Go file parsed by two workers, the findings of one thread', async () => {
  const opts = { inlineConfig: true };
  const resolver = makeResolver(RULES, [tmp], opts, tmp);
  const collected = collectFiles([tmp], resolver);
  const goFiles = collected.files.filter((f) => f.endsWith('.go'));
  assert.equal(goFiles.length, 10);
  // One directory per batch, as the packages of a large tree: every import crosses tasks.
  // Started together: one leaf package (util, model) to each worker, and store, which imports both, reads the facts of one from the other.
  // Every fact kind known from the start: a kind first asked of a file after its worker audited it parses it again
  // (in one thread as well: the fixture's main package asks its sibling's pprof facts after auditing it). Rules do not
  // declare the kinds they read, so workers learn them from each other as they are asked (see CROSS_PACKAGE_KINDS).
  const two = await auditInWorkers(collected, { jobs: 2, roots: [tmp], opts, cwd: tmp, batchFiles: 1, startTogether: true, kinds: factAnalysisIds() });
  assert.equal(two.goParses.length, 2);
  const [a, b] = two.goParses.map((p) => new Set(p));
  assert.ok(a.has(path.join(tmp, 'util/big.go')) !== b.has(path.join(tmp, 'util/big.go')));
  assert.ok(a.has(path.join(tmp, 'util/big.go')) !== a.has(path.join(tmp, 'model/order.go')), 'the leaf packages went to different workers');
  const both = [...a].filter((f) => b.has(f));
  // A package's facts reach its importers in the other worker: its files are parsed there, never again here.
  assert.deepEqual(both, [], `parsed by both workers: ${both.join(', ')}`);
  assert.deepEqual([...new Set([...a, ...b])].sort(), [...goFiles].sort(), 'every Go file parsed');
  assert.equal(two.goParses.flat().length, goFiles.length, `each Go file parsed once across the run: ${two.goParses.flat().join(', ')}`);

  const source = new DiskFileSource(resolver.maxFileSize);
  source.freeze();
  const engine = await Engine.create(RULES, source, goEngineOptions(true));
  try {
    const one = auditFiles(engine, collected, { roots: [tmp], config: resolver });
    assert.deepEqual(two.findings.map(key), one.findings.map(key));
    assert.deepEqual(two.analyses.map((x) => x.path), one.analyses.map((x) => x.path));
  } finally {
    engine.dispose();
  }
  // Facts crossed packages: the ranges over other packages' large structs are found.
  for (const f of ['svc/orders.go', 'store/db.go']) {
    assert.ok(two.findings.some((x) => x.file.endsWith(f) && x.ruleId === 'go/large-struct-range-copy'), `${f}: ${two.findings.map(key).join('\n')}`);
  }
});

test('a Go package is planned after the packages it imports; Dockerfiles and manifests after everything, their model facts first', () => {
  const dir = (d: string): string => path.join(tmp, d);
  const go = ['app', 'svc', 'store', 'util', 'model'].map((d) => fs.readdirSync(dir(d)).filter((n) => n.endsWith('.go')).map((n) => path.join(dir(d), n)));
  const tasks = planTasks(go, [[path.join(tmp, 'app/Dockerfile')], [path.join(tmp, 'deploy/app.yaml'), path.join(tmp, 'deploy/svc.yaml')]], (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined));
  // Tasks: app, svc, store, util, model, then the Dockerfile's and the manifests' facts, then their audits.
  assert.deepEqual(tasks.map((t) => [t.mode, t.readsModel, t.after]), [
    ['audit', false, [1, 2]],
    ['audit', false, [2, 3, 4]],
    ['audit', false, [3, 4]],
    ['audit', false, []],
    ['audit', false, []],
    ['facts', false, []],
    ['facts', false, []],
    ['audit', true, [0, 1, 2, 3, 4, 5, 6]],
    ['audit', true, [0, 1, 2, 3, 4, 5, 6]],
  ]);
  const queue = new TaskQueue(tasks);
  const take = (): AuditTask => {
    const t = queue.take();
    assert.ok(t && t !== 'wait');
    return t;
  };
  // Two workers: what each is handed while the other's task runs.
  const util = take();
  const model = take();
  assert.deepEqual([util.index, model.index], [3, 4], 'the packages that import nothing first');
  queue.finished(util);
  const facts = take();
  assert.equal(facts.mode, 'facts', 'the Dockerfiles\' and manifests\' facts while a leaf package is under way, not a package whose imports are unfinished');
  queue.finished(facts);
  const facts2 = take();
  assert.equal(facts2.mode, 'facts');
  queue.finished(facts2);
  assert.equal(queue.take(), 'wait', 'every package left waits for model');
  queue.finished(model);
  const order: number[] = [];
  for (let t = queue.take(); t && t !== 'wait'; t = queue.take()) {
    order.push(t.index);
    queue.finished(t);
  }
  assert.deepEqual(order, [2, 1, 0, 7, 8]);
});

test('a worker is sent the facts of the directories its task reads, from other workers only, each once', () => {
  const fact = (p: string): SharedFact => ({ path: p, hash: 'h', id: 'k', bytes: new Uint8Array([1]) });
  const shared = new SharedFacts();
  shared.add(0, [fact('/m/a.go'), fact('/s/b.go')]);
  shared.add(1, [fact('/q/c.go')]);
  assert.deepEqual(shared.newFor(0, new Set(['/m', '/q'])).map((f) => f.path), ['/q/c.go']);
  assert.deepEqual(shared.newFor(1, new Set(['/m'])).map((f) => f.path), ['/m/a.go']);
  assert.deepEqual(shared.newFor(1, undefined).map((f) => f.path), ['/s/b.go']);
  assert.deepEqual(shared.newFor(1, undefined), []);
});

test('import paths are read from the import block before the first declaration', () => {
  const text = '// Package x.\npackage x\n\nimport "a.com/one"\nimport (\n\t"fmt"\n\tm "a.com/two" // "not/this"? a comment: a spare dependency at worst\n\t_ "a.com/three"\n)\n\nfunc f() { _ = "a.com/no" }\n';
  assert.deepEqual(importPaths(text).sort(), ['a.com/one', 'a.com/three', 'a.com/two', 'fmt', 'not/this']);
});
