// Hostile workspaces (issue 26): nothing outside the audited roots is read, side files are read only as
// regular files under a cap, configuration is bounded, output cannot be forged, and the time bombs of the
// report stay bounded. Every input is built here, in a temporary folder.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureBuilt, shipshape, workspace } from '../support/cli';
import { Engine } from '../../server/src/engine/analyze';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { ConfigValidator } from '../../server/src/engine/config/config-file';
import { resolveFixes } from '../../server/src/core/finding';
import { readRegularFile } from '../../server/src/engine/safe-read';
import { DiskFileSource } from '../../server/src/engine/disk';
import type { FileSource } from '../../server/src/engine/workspace';
import { RULES } from '../../server/src/rules/index';
import { bundledDocsUri, isOwnDocsUri, ruleDocsLinks } from '../../server/src/host-shared/rule-docs';
import { escapeControl } from '../../server/src/cli/format/escape';

before(ensureBuilt);

const GO = 'package main\n\nfunc main() {}\n';
const DOCKERFILE = 'FROM golang:1.23\nCOPY . .\nRUN go build -o /app .\nCMD ["/app"]\n';
const SECRET = 'TOPSECRET-0xC0FFEE';

function timed<T>(f: () => T): { value: T; ms: number } {
  const t = performance.now();
  const value = f();
  return { value, ms: performance.now() - t };
}

test('a symlinked file or folder leading out of the root is not read: a notice, no findings from it', () => {
  const ws = workspace({ 'outside/leak.go': `package main\n// ${SECRET}\nimport "net/http"\nfunc f() { resp, _ := http.Get("x"); _ = resp }\n`, 'ws/main.go': GO });
  try {
    fs.symlinkSync(path.join(ws.dir, 'outside/leak.go'), path.join(ws.dir, 'ws/leak.go'));
    fs.symlinkSync(path.join(ws.dir, 'outside'), path.join(ws.dir, 'ws/linked'), 'dir');
    const r = shipshape(['audit', '.', '-f', 'json', '--fail-on', 'none'], path.join(ws.dir, 'ws'));
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as { findings: { file: string }[]; notices: { file: string; reason: string }[] };
    assert.deepEqual(report.findings.filter((f) => /leak|linked/.test(f.file)), []);
    // The walk refuses both links; main.go's analysis may also be told that its package sibling leak.go was not read.
    const refused = new Set(report.notices.filter((n) => n.reason === 'outside-workspace').map((n) => path.basename(n.file)));
    assert.ok(refused.has('leak.go') && refused.has('linked'), [...refused].join(', '));
    assert.deepEqual([...refused].filter((f) => !['leak.go', 'linked', 'main.go'].includes(f)), []);
    assert.doesNotMatch(r.stdout + r.stderr, new RegExp(SECRET));
  } finally {
    ws.cleanup();
  }
});

test('.shipshape.yaml: a symlink out, a FIFO, /dev/zero, 31 MB: each a clear error at once, no content echoed', () => {
  const ws = workspace({ 'secret.yaml': `${SECRET}: [1]\nrules: 3\n`, 'sym/ws/main.go': GO, 'fifo/main.go': GO, 'zero/main.go': GO, 'big/main.go': GO, 'big/.shipshape.yaml': `# ${'x'.repeat(31 * 1024 * 1024)}\n` });
  try {
    fs.symlinkSync(path.join(ws.dir, 'secret.yaml'), path.join(ws.dir, 'sym/ws/.shipshape.yaml'));
    execFileSync('mkfifo', [path.join(ws.dir, 'fifo/.shipshape.yaml')]);
    fs.symlinkSync('/dev/zero', path.join(ws.dir, 'zero/.shipshape.yaml'));
    const cases: [string, RegExp][] = [['sym/ws', /symlink to a file outside the workspace/], ['fifo', /not a regular file \(a FIFO\)/], ['zero', /outside the workspace|character device/], ['big', /too large/]];
    for (const [dir, why] of cases) {
      const { value: r, ms } = timed(() => shipshape(['audit', '.'], path.join(ws.dir, dir)));
      assert.equal(r.code, 2, `${dir}: ${r.stderr}`);
      assert.match(r.stderr, why, dir);
      assert.doesNotMatch(r.stderr, new RegExp(SECRET), dir);
      assert.ok(ms < 30_000, `${dir} took ${ms} ms`);
    }
  } finally {
    ws.cleanup();
  }
});

test('a FIFO or a device where a source or side file should be is a notice, never a hang', () => {
  const ws = workspace({ 'main.go': GO, Dockerfile: DOCKERFILE });
  try {
    execFileSync('mkfifo', [path.join(ws.dir, 'pipe.go')]);
    execFileSync('mkfifo', [path.join(ws.dir, 'go.mod')]);
    execFileSync('mkfifo', [path.join(ws.dir, '.dockerignore')]);
    execFileSync('mkfifo', [path.join(ws.dir, '.gitignore')]);
    fs.symlinkSync('/dev/zero', path.join(ws.dir, 'docker-compose.yml'));
    const { value: r, ms } = timed(() => shipshape(['audit', '.', '--fail-on', 'none'], ws.dir));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(ms < 30_000, `took ${ms} ms`);
    // Named, the FIFO is a notice (and, being the only file, exit 2: nothing was audited).
    const named = shipshape(['audit', 'pipe.go'], ws.dir);
    assert.equal(named.code, 2);
    assert.match(named.stderr, /pipe\.go: not a regular file \(a FIFO\)/);
    assert.deepEqual(Object.keys(readRegularFile('/dev/zero', 10)).sort(), ['kind', 'message']);
  } finally {
    ws.cleanup();
  }
});

test('configuration numbers are finite and bounded: maxFileSize 1e309 and --max-file-size 1e309 are errors', () => {
  const ws = workspace({ 'main.go': GO, '.shipshape.yaml': 'maxFileSize: 1e309\n' });
  try {
    const r = shipshape(['audit', '.'], ws.dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /"maxFileSize" must be <= 67108864/);
    fs.rmSync(path.join(ws.dir, '.shipshape.yaml'));
    const flag = shipshape(['audit', '.', '--max-file-size', '1e309'], ws.dir);
    assert.equal(flag.code, 2);
    assert.match(flag.stderr, /expected a positive integer|at most/);
  } finally {
    ws.cleanup();
  }
});

test('a compose build context outside the root (context: /) is ignored with a notice; nothing there is read', () => {
  const ws = workspace({
    'ws/svc/Dockerfile': DOCKERFILE, 'ws/svc/main.go': GO,
    'ws/docker-compose.yml': 'services:\n  api:\n    build:\n      context: /\n      dockerfile: PLACEHOLDER\n',
  });
  try {
    const dockerfile = path.join(ws.dir, 'ws/svc/Dockerfile');
    fs.writeFileSync(path.join(ws.dir, 'ws/docker-compose.yml'), `services:\n  api:\n    build:\n      context: /\n      dockerfile: ${dockerfile.slice(1)}\n`);
    const r = shipshape(['audit', '.', '--fail-on', 'none'], path.join(ws.dir, 'ws'));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /svc\/Dockerfile: not read, outside the audited folders \(symlinks resolved\): \/ \(outside-workspace\)/);
  } finally {
    ws.cleanup();
  }
});

const NO_FILES: FileSource = { readText: () => undefined, listDir: () => undefined, versionOf: () => undefined };

test('an image named registry.example/.. reads no Dockerfile above the root', async () => {
  const reads: string[] = [];
  const source: FileSource = { readText: (p) => (reads.push(p), undefined), listDir: () => undefined, versionOf: () => undefined };
  const engine = await Engine.create(RULES, source);
  try {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: registry.example/..\n';
    const config = new StaticConfigResolver(RULES, {}, '/w/ws', true);
    engine.analyze({ path: '/w/ws/pod.yaml', text }, { config: config.forFile('/w/ws/pod.yaml'), roots: ['/w/ws'] });
    assert.deepEqual(reads.filter((p) => !p.startsWith('/w/ws/')), [], 'nothing outside /w/ws is read');
  } finally {
    engine.dispose();
  }
});

test('the package view and facts of siblings read no file whose real path leads out of the root', async () => {
  // A sibling .go file symlinked out would join the package view (its facts: declarations, handle names).
  const ws = workspace({ 'outside/leak.go': `package svc\n// ${SECRET}\ntype Big struct{ A [4096]byte }\n`, 'ws/svc/a.go': 'package svc\n\nfunc f(xs []Big) {\n\tfor _, x := range xs {\n\t\t_ = x\n\t}\n}\n' });
  const engine = await Engine.create(RULES, new DiskFileSource(5 * 1024 * 1024));
  try {
    fs.symlinkSync(path.join(ws.dir, 'outside/leak.go'), path.join(ws.dir, 'ws/svc/leak.go'));
    const root = path.join(ws.dir, 'ws');
    const file = path.join(root, 'svc/a.go');
    const config = new StaticConfigResolver(RULES, {}, root, true);
    const a = engine.analyze({ path: file, text: fs.readFileSync(file, 'utf8') }, { config: config.forFile(file), roots: [root] });
    assert.deepEqual(a.findings.filter((f) => f.ruleId === 'go/large-struct-range-copy'), [], 'Big is only known from the file outside');
    assert.deepEqual(a.notices.map((n) => n.reason), ['outside-workspace']);
    assert.match(a.notices[0].message, /leak\.go/);
    assert.doesNotMatch(JSON.stringify(a.findings), new RegExp(SECRET));
    // The same sibling inside the root is read (the symlink is what is refused).
    fs.rmSync(path.join(root, 'svc/leak.go'));
    fs.copyFileSync(path.join(ws.dir, 'outside/leak.go'), path.join(root, 'svc/leak.go'));
    const b = engine.analyze({ path: file, text: fs.readFileSync(file, 'utf8'), version: 2 }, { config: config.forFile(file), roots: [root] });
    assert.equal(b.findings.filter((f) => f.ruleId === 'go/large-struct-range-copy').length, 1);
    assert.deepEqual(b.notices, []);
  } finally {
    engine.dispose();
    ws.cleanup();
  }
});

test('a defaultMemory option with a newline is a config error, and never reaches a fix', async () => {
  const validator = new ConfigValidator(RULES);
  const hostile = 'rules:\n  k8s/missing-limits:\n    options:\n      defaultMemory: "1Gi\\ncommand: [sh, -c, evil]"\n';
  const checked = validator.check('.shipshape.yaml', hostile);
  assert.equal(checked.config, undefined);
  assert.match(checked.problems.map((p) => p.message).join('\n'), /defaultMemory.*must match pattern/);
  const engine = await Engine.create(RULES, NO_FILES);
  try {
    // Settings that bypass the schema still cannot inject: the fix is withheld.
    const config = new StaticConfigResolver(RULES, { rules: { 'k8s/missing-limits': { options: { defaultMemory: '1Gi\ncommand: [sh, -c, evil]' } } } }, '/w', true);
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: c\n      image: a/b:1\n';
    const a = engine.analyze({ path: '/w/pod.yaml', text }, { config: config.forFile('/w/pod.yaml'), roots: ['/w'] });
    const limits = a.findings.filter((f) => f.ruleId === 'k8s/missing-limits');
    assert.ok(limits.length > 0);
    for (const f of limits) for (const fix of resolveFixes(f)) assert.doesNotMatch(JSON.stringify(fix.edits), /evil/);
  } finally {
    engine.dispose();
  }
});

test('showRuleDocs opens only Shipshape rule pages', () => {
  const links = ruleDocsLinks();
  const ids = RULES.map((r) => r.id);
  assert.ok(isOwnDocsUri(bundledDocsUri(links, 'go/unclosed-body'), links, ids));
  for (const uri of ['file:///etc/shadow', 'command:workbench.action.terminal.new', `${bundledDocsUri(links, 'go/unclosed-body')}/../../../../etc/passwd`, 'https://evil.example/']) {
    assert.equal(isOwnDocsUri(uri, links, ids), false, uri);
  }
});

test('text and compact output escape control characters in file names and messages', () => {
  assert.equal(escapeControl('a\nb\x1b[31m\u202e'), 'a\\nb\\x1b[31m\\u202e');
  const name = 'evil\nmain.go:1:1: error: forged [x]\x1b[2J.go';
  const ws = workspace({ [name]: 'package main\nimport "net/http"\nfunc f() { resp, _ := http.Get("x"); _ = resp }\n' });
  try {
    for (const format of ['text', 'compact']) {
      const r = shipshape(['audit', '.', '-f', format, '--fail-on', 'none'], ws.dir);
      assert.doesNotMatch(r.stdout, /^main\.go:1:1: error: forged/m, format);
      assert.doesNotMatch(r.stdout + r.stderr, /\x1b/, format);
      assert.match(r.stdout, /evil\\nmain\.go/, format);
    }
  } finally {
    ws.cleanup();
  }
});

test('time bombs stay bounded: nested flow kustomization and compose files, a 1,000-level folder tree', () => {
  const ws = workspace({
    'k/kustomization.yaml': `resources: ${'{'.repeat(500)}\n`, 'k/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n',
    'c/docker-compose.yml': `services: ${'{'.repeat(500)}\n`, 'c/Dockerfile': DOCKERFILE,
  });
  try {
    let deep = path.join(ws.dir, 'deep');
    for (let i = 0; i < 1000; i++) deep = path.join(deep, 'd');
    fs.mkdirSync(deep, { recursive: true });
    fs.writeFileSync(path.join(deep, 'main.go'), GO);
    // Against a one-file audit timed alongside: a loaded machine slows both (the bombs took 34 s to minutes).
    fs.mkdirSync(path.join(ws.dir, 'plain'));
    fs.writeFileSync(path.join(ws.dir, 'plain', 'main.go'), GO);
    const baseline = timed(() => shipshape(['audit', '.', '--fail-on', 'none'], path.join(ws.dir, 'plain'))).ms;
    for (const dir of ['k', 'c', 'deep']) {
      const { value: r, ms } = timed(() => shipshape(['audit', '.', '--fail-on', 'none'], path.join(ws.dir, dir)));
      assert.equal(r.code, 0, `${dir}: ${r.stderr}`);
      assert.ok(ms < Math.max(20_000, 4 * baseline), `${dir} took ${ms} ms (a one-file audit: ${baseline} ms)`);
    }
  } finally {
    ws.cleanup();
  }
});
