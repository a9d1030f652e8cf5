// Through the built CLI, as CI runs it: the figures a rule attaches appear in JSON `figures` and SARIF
// `properties.figures` (the same data as the editor's hover), and the `$shipshape` problem matcher that
// package.json contributes parses the real `compact` output line by line.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import type { JsonReport } from '../../server/src/cli/format/json';
import { REPO } from '../support/harness';
import { ensureBuilt, shipshape, workspace } from '../support/cli';

const GO = `package main

// café 🚀
type Order struct {
	ID    [64]byte
	Items [20]int64
}

func total() (n int) {
	batch := make([]Order, 1000)
	for _, o := range batch {
		n += len(o.ID)
	}
	return n
}

// A main package: the service model links example.com/shop's container to it (and to the Dockerfile that builds it).
func main() { _ = total() }
`;
const DOCKERFILE = 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /server .\nFROM gcr.io/distroless/static\nCOPY --from=build /server /server\nENTRYPOINT ["/server"]\n';
const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  selector:
    matchLabels: {app: shop}
  template:
    metadata:
      labels: {app: shop}
    spec:
      containers:
        - name: api
          image: example.com/shop:1.0.0
          resources:
            requests: {cpu: 250m, memory: 256Mi}
            limits: {cpu: 500m, memory: 512Mi}
`;
const FILES = { 'go.mod': 'module example.com/shop\n\ngo 1.22\n', 'main.go': GO, Dockerfile: DOCKERFILE, 'deploy/deployment.yaml': DEPLOY };

before(() => { ensureBuilt(); });

test('JSON findings and SARIF results carry the same figures as the hover', () => {
  const ws = workspace(FILES);
  try {
    const json = shipshape(['audit', '.', '--format', 'json', '--only', 'go/large-struct-range-copy,k8s/gomemlimit-missing,k8s/gomaxprocs-cpu-limit', '--fail-on', 'none'], ws.dir);
    assert.equal(json.code, 0, json.stderr);
    const report = JSON.parse(json.stdout) as JsonReport;
    const byRule = (id: string): JsonReport['findings'][number] | undefined => report.findings.find((f) => f.ruleId === id);
    assert.deepEqual(byRule('go/large-struct-range-copy')?.figures, { elementBytes: 224, length: 1000, bytesPerPass: 224_000 });
    const mib = 2 ** 20;
    assert.deepEqual(byRule('k8s/gomemlimit-missing')?.figures, { memoryLimit: 512 * mib, suggestedGomemlimit: '409MiB', gomemlimitBytes: 409 * mib, headroom: 103 * mib });
    assert.deepEqual(byRule('k8s/gomaxprocs-cpu-limit')?.figures, { cpuLimit: 0.5, exampleNodeCores: 16, oversubscription: 32, suggestedGomaxprocs: 1 });

    const sarif = shipshape(['audit', '.', '--format', 'sarif', '--only', 'go/large-struct-range-copy,k8s/gomemlimit-missing,k8s/gomaxprocs-cpu-limit', '--fail-on', 'none'], ws.dir);
    const log = JSON.parse(sarif.stdout) as Sarif.Log;
    const results = log.runs[0].results ?? [];
    assert.equal(results.length, report.findings.length);
    for (const f of report.findings) {
      const r = results.find((x) => x.ruleId === f.ruleId);
      assert.deepEqual(r?.properties?.figures, f.figures, f.ruleId);
    }
  } finally {
    ws.cleanup();
  }
});

interface Matcher {
  name: string;
  owner: string;
  fileLocation: string[];
  pattern: { regexp: string; file: number; line: number; column: number; severity: number; message: number; code: number };
}

test('the $shipshape problem matcher parses every line of the real compact output', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { contributes: { problemMatchers: Matcher[] } };
  const matcher = pkg.contributes.problemMatchers.find((m) => m.name === 'shipshape');
  assert.ok(matcher, 'package.json contributes a problem matcher named shipshape ($shipshape in tasks.json)');
  assert.deepEqual(matcher.fileLocation, ['autoDetect', '${workspaceFolder}']);
  const re = new RegExp(matcher.pattern.regexp);
  const ws = workspace({ ...FILES, 'sub dir/main.go': GO.replace('package main', 'package main // shipshape:ignore go/unclosed-body') });
  try {
    const run = shipshape(['audit', '.', '--format', 'compact', '--fail-on', 'none'], ws.dir);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.ok(lines.length >= 5, run.stdout);
    const severities = new Set<string>();
    const p: Matcher['pattern'] = matcher.pattern;
    for (const line of lines) {
      const m = re.exec(line);
      assert.ok(m, `matches: ${line}`);
      assert.ok(fs.existsSync(path.join(ws.dir, m[p.file])), `file ${m[p.file]}`);
      assert.match(m[p.line], /^[1-9]\d*$/);
      assert.match(m[p.column], /^[1-9]\d*$/);
      assert.equal(line, `${m[p.file]}:${m[p.line]}:${m[p.column]}: ${m[p.severity]}: ${m[p.message]} [${m[p.code]}]`);
      severities.add(m[p.severity]);
    }
    // A file with a space, a message with brackets in it, and info findings all parse.
    assert.ok(lines.some((l) => re.exec(l)?.[matcher.pattern.file] === 'sub dir/main.go'), run.stdout);
    assert.ok(severities.has('info') && severities.has('warning'), [...severities].join(','));
    const tricky = re.exec('a/b.go:3:7: warning: x[i] is [odd] here [go/test-rule]');
    assert.deepEqual(tricky?.slice(1), ['a/b.go', '3', '7', 'warning', 'x[i] is [odd] here', 'go/test-rule']);
  } finally {
    ws.cleanup();
  }
});
