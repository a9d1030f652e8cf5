// Adopting Shipshape on an existing codebase: --write-baseline/--baseline survive moved lines and renamed
// files, drop fixed findings; --new-from-rev and --new-from-patch report only changed lines.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureBuilt, shipshape, workspace } from '../support/cli';

before(ensureBuilt);

// Two unknown-rule directives: findings of shipshape/unknown-rule (warning), one per line.
const OLD = 'package main\n\n// shipshape:ignore go/nope-one\nfunc a() {}\n\n// shipshape:ignore go/nope-two\nfunc b() {}\n';

function findings(r: { stdout: string }): { file: string; line: number; message: string }[] {
  return (JSON.parse(r.stdout) as { findings: { file: string; start: { line: number }; message: string }[] }).findings.map((f) => ({ file: f.file, line: f.start.line, message: f.message }));
}

test('baseline: moved lines stay known, a renamed file stays known, a new finding is reported, fixed ones disappear', () => {
  const ws = workspace({ 'svc/main.go': OLD });
  try {
    const w = shipshape(['audit', '--write-baseline', '.shipshape-baseline.json'], ws.dir);
    assert.equal(w.code, 1);
    assert.match(w.stderr, /wrote 2 findings to the baseline \.shipshape-baseline\.json/);
    assert.equal(shipshape(['audit', '--baseline', '.shipshape-baseline.json'], ws.dir).code, 0);
    // Unrelated lines above shift every finding down; the file is renamed.
    fs.rmSync(path.join(ws.dir, 'svc/main.go'));
    fs.writeFileSync(path.join(ws.dir, 'svc/server.go'), OLD.replace('package main\n', 'package main\n\nimport "fmt"\n\nvar _ = fmt.Sprint\n'));
    const moved = shipshape(['audit', '--baseline', '.shipshape-baseline.json', '-f', 'json'], ws.dir);
    assert.equal(moved.code, 0, moved.stdout);
    assert.deepEqual(findings(moved), []);
    // One finding fixed, one new one added.
    fs.writeFileSync(path.join(ws.dir, 'svc/server.go'), OLD.replace('// shipshape:ignore go/nope-one\n', '').replace('func b() {}\n', 'func b() {}\n\n// shipshape:ignore go/nope-three\nfunc c() {}\n'));
    const next = shipshape(['audit', '--baseline', '.shipshape-baseline.json'], ws.dir);
    assert.equal(next.code, 1);
    assert.match(next.stdout, /go\/nope-three/);
    assert.doesNotMatch(next.stdout, /go\/nope-two|go\/nope-one/);
    assert.match(next.stdout, /1 finding .*; 1 known from the baseline not shown, 1 fixed since$/m);
  } finally {
    ws.cleanup();
  }
});

test('baseline: a missing or foreign baseline file is a clear usage error', () => {
  const ws = workspace({ 'main.go': OLD, 'other.json': '{"a": 1}' });
  try {
    const missing = shipshape(['audit', '--baseline', 'nope.json'], ws.dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /baseline file not found: nope\.json \(write one with --write-baseline nope\.json\)/);
    const foreign = shipshape(['audit', '--baseline', 'other.json'], ws.dir);
    assert.equal(foreign.code, 2);
    assert.match(foreign.stderr, /other\.json is not a Shipshape baseline/);
  } finally {
    ws.cleanup();
  }
});

function git(dir: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

test('--new-from-rev: only findings on lines changed since the revision, and in untracked files', () => {
  const ws = workspace({ 'main.go': OLD });
  try {
    git(ws.dir, 'init', '-q');
    git(ws.dir, 'add', '.');
    git(ws.dir, 'commit', '-qm', 'init');
    assert.equal(shipshape(['audit', '--new-from-rev', 'HEAD'], ws.dir).code, 0);
    fs.writeFileSync(path.join(ws.dir, 'main.go'), `${OLD}\n// shipshape:ignore go/nope-new\nfunc c() {}\n`);
    fs.writeFileSync(path.join(ws.dir, 'extra.go'), 'package main\n\n// shipshape:ignore go/nope-untracked\nfunc d() {}\n');
    const r = shipshape(['audit', '--new-from-rev', 'HEAD', '-f', 'json'], ws.dir);
    assert.equal(r.code, 1);
    assert.deepEqual(findings(r).map((f) => `${f.file}:${f.line}`), ['extra.go:3', 'main.go:9']);
    const bad = shipshape(['audit', '--new-from-rev', 'no-such-rev'], ws.dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--new-from-rev no-such-rev: no such revision/);
  } finally {
    ws.cleanup();
  }
});

test('--new-from-rev outside a git repository is a clear error; --new-from-patch works anywhere', () => {
  const ws = workspace({ 'main.go': OLD });
  try {
    const r = shipshape(['audit', '--new-from-rev', 'HEAD'], ws.dir, { GIT_CEILING_DIRECTORIES: path.dirname(ws.dir) });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--new-from-rev needs a git repository, and .* is not inside one/);
    fs.writeFileSync(path.join(ws.dir, 'change.patch'), [
      '--- a/main.go', '+++ b/main.go', '@@ -5,0 +6,2 @@', '+// shipshape:ignore go/nope-two', '+func b() {}', '',
    ].join('\n'));
    const p = shipshape(['audit', '--new-from-patch', 'change.patch', '-f', 'json'], ws.dir, { GIT_CEILING_DIRECTORIES: path.dirname(ws.dir) });
    assert.equal(p.code, 1, p.stderr);
    assert.deepEqual(findings(p).map((f) => f.line), [6]);
  } finally {
    ws.cleanup();
  }
});
