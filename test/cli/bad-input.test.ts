// Bad input never crashes the CLI: empty and half-typed files, binary bytes, huge files, symlink loops,
// unreadable files, files that vanish mid-audit (issue 3 "Done when", issue 5 item 5).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureBuilt, shipshape, workspace } from '../support/cli';
import { Engine } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { auditFiles, collectFiles } from '../../server/src/engine/audit';
import { RULES } from '../../server/src/rules/index';

before(ensureBuilt);

/** No crash: exit 0/1 (never 2 or a signal), and no stack trace. */
function assertNoCrash(r: { code: number | null; stderr: string }): void {
  assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
}

test('empty files of every kind', () => {
  const ws = workspace({ 'main.go': '', Dockerfile: '', 'deploy/app.yaml': '', 'k8s/empty.yml': '---\n---\n' });
  try {
    const r = shipshape(['audit', '.'], ws.dir);
    assertNoCrash(r);
  } finally {
    ws.cleanup();
  }
});

test('half-typed Go, Dockerfile and YAML', () => {
  const ws = workspace({
    'a.go': 'package main\n\nimport "net/http"\n\nfunc f() {\n\tresp, err := http.Get(\n',
    'b.go': 'package\nfunc ( {{{ // shipshape:ignore\n',
    'c.go': 'func main() { x := []int{1, 2,\n\tgo func() { defer',
    Dockerfile: 'FROM\nRUN \\\n',
    'deploy/app.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: [unclosed\n  annotations:\n    shipshape.dev/ignore: \n',
    'deploy/odd.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: just-a-string\n---\n- a\n- b\n',
  });
  try {
    assertNoCrash(shipshape(['audit', '.'], ws.dir));
    assertNoCrash(shipshape(['audit', '--fix', '.'], ws.dir));
  } finally {
    ws.cleanup();
  }
});

test('binary bytes with a .go name are skipped with a notice', () => {
  const ws = workspace({
    'blob.go': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 0xff, 0xfe]), 'latin1.go': Buffer.from('package main // caf\xe9\n', 'latin1'), 'ok.go': 'package main\n',
  });
  try {
    const r = shipshape(['audit', '.'], ws.dir);
    assertNoCrash(r);
    assert.match(r.stderr, /skipped blob\.go: binary content \(NUL bytes\) \(binary\)/);
    assert.match(r.stderr, /skipped latin1\.go: not valid UTF-8 \(binary\)/);
  } finally {
    ws.cleanup();
  }
});

// A 20 MB file is skipped by default; raising the limit audits a 2 MB one (20 MB parses in ~35 s of CPU and ~1 GB).
test('a 20 MB file is skipped with a notice (default 5 MB limit), the rest is audited', () => {
  const body = 'func handler%d(w http.ResponseWriter, r *http.Request) {\n\tw.Write([]byte("ok"))\n}\n\n';
  let text = 'package main\n\nimport "net/http"\n\n';
  for (let i = 0; text.length < 20 * 1024 * 1024; i++) text += body.replace('%d', String(i));
  const ws = workspace({ 'big.go': text, 'small.go': 'package main\n' });
  try {
    const r = shipshape(['audit', '.'], ws.dir);
    assertNoCrash(r);
    assert.match(r.stderr, /skipped big\.go: \d+ bytes is over the 5242880-byte limit \(too-large\)/);
    assert.match(r.stdout, /in 1 file,/);
    // Raising the limit audits an oversized file (2 MB over a 1 MB limit).
    const six = workspace({ 'big.go': text.slice(0, text.indexOf('func handler', 2 * 1024 * 1024)) });
    try {
      const small = shipshape(['audit', '--max-file-size', String(1024 * 1024), '.'], six.dir);
      assert.match(small.stderr, /skipped big\.go: \d+ bytes is over the 1048576-byte limit \(too-large\)/);
      const big = shipshape(['audit', '--max-file-size', String(4 * 1024 * 1024), '.'], six.dir);
      assertNoCrash(big);
      assert.match(big.stdout, /in 1 file/);
    } finally {
      six.cleanup();
    }
  } finally {
    ws.cleanup();
  }
});

test('a directory symlink loop is walked once', () => {
  const ws = workspace({ 'svc/main.go': 'package main\n' });
  try {
    fs.symlinkSync('..', path.join(ws.dir, 'svc/loop'));
    fs.symlinkSync(path.join(ws.dir, 'svc'), path.join(ws.dir, 'svc/self'));
    fs.symlinkSync(path.join(ws.dir, 'nowhere.go'), path.join(ws.dir, 'dangling.go'));
    const r = shipshape(['audit', '.', '-f', 'json'], ws.dir);
    assertNoCrash(r);
    assert.equal((JSON.parse(r.stdout) as { summary: { files: number } }).summary.files, 1);
  } finally {
    ws.cleanup();
  }
});

test('unreadable files and non-regular files are skipped with a notice', () => {
  const ws = workspace({ 'locked.go': 'package main\n', 'ok.go': 'package main\n' });
  try {
    fs.chmodSync(path.join(ws.dir, 'locked.go'), 0o000);
    fs.mkdirSync(path.join(ws.dir, 'locked-dir'));
    fs.writeFileSync(path.join(ws.dir, 'locked-dir/x.go'), 'package x\n');
    fs.chmodSync(path.join(ws.dir, 'locked-dir'), 0o000);
    const r = shipshape(['audit', '.'], ws.dir);
    assertNoCrash(r);
    if (process.getuid?.() !== 0) assert.match(r.stderr, /skipped locked\.go: EACCES/); // root reads anything
    // A FIFO named like a Go file, given explicitly: not a regular file, never read (reading would block).
    const fifo = path.join(ws.dir, 'pipe.go');
    const mk = spawnSync('mkfifo', [fifo]);
    if (mk.status === 0) {
      const p = shipshape(['audit', 'pipe.go', 'ok.go'], ws.dir);
      assertNoCrash(p);
      assert.match(p.stderr, /skipped pipe\.go: not a regular file/);
    }
  } finally {
    fs.chmodSync(path.join(ws.dir, 'locked-dir'), 0o755);
    ws.cleanup();
  }
});

test('a file that disappears during the audit becomes a notice, not a crash', async () => {
  const ws = workspace({ 'a.go': 'package main\n', 'b.go': 'package main\n' });
  const engine = await Engine.create(RULES, new DiskFileSource(1 << 20));
  try {
    const config = new StaticConfigResolver(RULES, {}, ws.dir);
    const collected = collectFiles([ws.dir], config);
    fs.rmSync(path.join(ws.dir, 'b.go'));
    const result = auditFiles(engine, collected, { roots: [ws.dir], config });
    assert.deepEqual(result.files, [path.join(ws.dir, 'a.go')]);
    assert.deepEqual(result.notices.map((n) => [path.basename(n.file), n.reason]), [['b.go', 'unreadable']]);
  } finally {
    engine.dispose();
    ws.cleanup();
  }
});
