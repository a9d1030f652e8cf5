// `audit --cache`: an unchanged tree re-runs nothing and reports the same; a change re-runs the file and what read it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureBuilt, shipshape, workspace } from '../support/cli';
import { defaultCacheDir } from '../../server/src/engine/audit-cache';

before(() => { ensureBuilt(); });

const MAIN = `package main

import "net/http"

// café 🚀
func main() {
\tresp, _ := http.Get("https://example.com")
\t_ = resp
\thelper()
}
`;
const HELPER = 'package main\n\nfunc helper() {}\n';
const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec:
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
        - name: web
          # Not a name of this module (api): the service model links it to no Go code, so it reads none.
          image: example/web:1.0
`;

function findings(stdout: string): unknown {
  const j = JSON.parse(stdout) as { findings: unknown };
  return j.findings;
}

interface CacheData { identity: string; paths: string[]; depSets: number[][]; entries: Record<string, { deps: number; findings: unknown[] }> }

/** The paths an entry's analysis read, from the file's tables. */
function depsOf(data: CacheData, file: string): string[] {
  return data.depSets[data.entries[file].deps].map((i) => data.paths[i]);
}

function run(dir: string, cacheFile: string, extra: string[] = []): { stdout: string; stderr: string; code: number | null } {
  return shipshape(['audit', '--cache-location', cacheFile, '--format', 'json', '--fail-on', 'none', '--jobs', '1', ...extra, '.'], dir);
}

test('a warm re-run of an unchanged tree analyses no file and reports exactly the same', () => {
  const ws = workspace({ 'go.mod': 'module example.com/api\n\ngo 1.22\n', 'main.go': MAIN, 'helper.go': HELPER, 'k8s/deploy.yaml': DEPLOY });
  // Outside the tree: a cache file inside it would change the folder listing the analyses read.
  const cacheFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-cache-')), 'audit.json');
  try {
    const cold = run(ws.dir, cacheFile);
    assert.equal(cold.code, 0, cold.stderr);
    assert.match(cold.stderr, /cache: 0 file\(s\) reused, 3 analysed/);
    const written = fs.readFileSync(cacheFile, 'utf8');
    // Marked: a warm run that rewrote the file (same entries) would drop the mark.
    fs.writeFileSync(cacheFile, written.replace(/}$/, ',"mark":1}'));
    const warm = run(ws.dir, cacheFile);
    assert.match(warm.stderr, /cache: 3 file\(s\) reused, 0 analysed/);
    assert.deepEqual(findings(warm.stdout), findings(cold.stdout));
    assert.ok((findings(cold.stdout) as unknown[]).length > 0, 'the fixture has findings to cache');
    assert.match(fs.readFileSync(cacheFile, 'utf8'), /"mark":1}$/, 'nothing changed: the cache file is not written again');
    // A file no longer audited drops out (and main.go, which listed the root folder, runs again): written again.
    fs.rmSync(path.join(ws.dir, 'k8s'), { recursive: true });
    assert.match(run(ws.dir, cacheFile).stderr, /cache: \d file\(s\) reused, \d analysed/);
    const after = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as { entries: Record<string, unknown>; mark?: number };
    assert.equal(after.mark, undefined);
    assert.deepEqual(Object.keys(after.entries).sort(), [path.join(ws.dir, 'helper.go'), path.join(ws.dir, 'main.go')].sort());
  } finally {
    ws.cleanup();
  }
});

test('a changed file re-runs itself and the files whose analysis read it; a changed setting re-runs all', () => {
  const ws = workspace({ 'go.mod': 'module example.com/api\n\ngo 1.22\n', 'main.go': MAIN, 'helper.go': HELPER, 'k8s/deploy.yaml': DEPLOY });
  // Outside the tree: a cache file inside it would change the folder listing the analyses read.
  const cacheFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-cache-')), 'audit.json');
  try {
    run(ws.dir, cacheFile);
    // helper.go and main.go, whose analysis read its package sibling's facts; the manifest is reused.
    const before = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as CacheData;
    assert.ok(depsOf(before, path.join(ws.dir, 'main.go')).includes(path.join(ws.dir, 'helper.go')), 'main.go read helper.go');
    // Each path is stored once, whatever the number of entries that read it.
    assert.equal(new Set(before.paths).size, before.paths.length);
    assert.ok(before.paths.includes(path.join(ws.dir, 'helper.go')));
    fs.writeFileSync(path.join(ws.dir, 'helper.go'), `${HELPER}\nfunc other() {}\n`);
    assert.match(run(ws.dir, cacheFile).stderr, /cache: 1 file\(s\) reused, 2 analysed/);
    // go.mod is not audited, but main.go's analysis read it (the module's Go version): main.go runs again; so does
    // the manifest, whose rules read the service model (it rests on every go.mod: a link may change with one).
    const cacheData = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as CacheData;
    assert.ok(depsOf(cacheData, path.join(ws.dir, 'main.go')).includes(path.join(ws.dir, 'go.mod')), 'main.go read go.mod');
    fs.writeFileSync(path.join(ws.dir, 'go.mod'), 'module example.com/api\n\ngo 1.23\n');
    assert.match(run(ws.dir, cacheFile).stderr, /cache: 1 file\(s\) reused, 2 analysed/);
    const severity = run(ws.dir, cacheFile, ['--rule', 'go/unclosed-body=error']);
    assert.match(severity.stderr, /cache: 0 file\(s\) reused, 3 analysed/);
  } finally {
    ws.cleanup();
  }
});

test('a corrupt or foreign cache is ignored with a notice, never trusted', () => {
  const ws = workspace({ 'main.go': MAIN });
  const cacheFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-cache-')), 'c.json');
  try {
    const cold = run(ws.dir, cacheFile);
    const data = JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as CacheData;
    // Stamped with the version and the build that wrote it (size and mtime of the running bundle).
    assert.match(data.identity, /^\d+\.\d+\.\d+[^+:]*\+[0-9a-z]+\.[0-9a-z]+:/);
    // A foreign version, or another build of the same version, that would claim the file is clean must not hide its findings.
    for (const e of Object.values(data.entries)) e.findings = [];
    for (const identity of ['shipshape 0.0.0-other', data.identity.replace(/\+[^:]+/, '+0.0')]) {
      fs.writeFileSync(cacheFile, JSON.stringify({ ...data, identity }));
      const foreign = run(ws.dir, cacheFile);
      assert.match(foreign.stderr, /another Shipshape version or rule set: ignored/);
      assert.deepEqual(findings(foreign.stdout), findings(cold.stdout));
    }
    // Cut short, or well-formed JSON whose tables do not hold what the entries point at.
    const outOfRange = { ...data, entries: Object.fromEntries(Object.entries(data.entries).map(([f, e]) => [f, { ...e, deps: data.depSets.length }])) };
    for (const broken of ['{"format":2,', JSON.stringify(outOfRange), JSON.stringify({ ...data, paths: 'x' })]) {
      fs.writeFileSync(cacheFile, broken);
      const corrupt = run(ws.dir, cacheFile);
      assert.match(corrupt.stderr, /is corrupt: ignored/);
      assert.deepEqual(findings(corrupt.stdout), findings(cold.stdout));
    }
  } finally {
    ws.cleanup();
  }
});

test('the default cache folder is the user cache folder of the platform', () => {
  assert.equal(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' }, 'linux', '/home/u'), '/x/cache/shipshape');
  assert.equal(defaultCacheDir({}, 'linux', '/home/u'), '/home/u/.cache/shipshape');
  assert.equal(defaultCacheDir({}, 'darwin', '/Users/u'), '/Users/u/Library/Caches/shipshape');
});
