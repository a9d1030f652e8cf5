// --fix and --fix-dry-run through the CLI: safe fixes only, a second run changes nothing, diffs, no writes outside the paths.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureBuilt, shipshape, workspace } from '../support/cli';

before(ensureBuilt);

// An unused directive (shipshape/unused-ignore, info) has a safe fix; an unknown id (warning) has none.
const GO = [
  'package main',
  '',
  '// café 🚀',
  'func main() {',
  '\tx := 1 // shipshape:ignore shipshape/unknown-rule',
  '\t// shipshape:ignore shipshape/unknown-rule',
  '\ty := 2',
  '\tz := 3 // shipshape:ignore go/unclosed-bdy',
  '\t_, _, _ = x, y, z',
  '}',
  '',
].join('\n');
const FIXED = GO.replace(' // shipshape:ignore shipshape/unknown-rule\n', '\n').replace('\t// shipshape:ignore shipshape/unknown-rule\n', '');

test('--fix applies safe fixes in place, reports what remains, and a second run changes nothing', () => {
  const ws = workspace({ 'svc/main.go': GO });
  const file = path.join(ws.dir, 'svc/main.go');
  try {
    const r = shipshape(['audit', '--fix', 'svc'], ws.dir);
    assert.equal(fs.readFileSync(file, 'utf8'), FIXED);
    assert.match(r.stderr, /fixed 2 problems in svc\/main\.go \(shipshape\/unused-ignore\)/);
    assert.equal(r.code, 1, 'the unknown id (a warning, no fix) remains');
    assert.match(r.stdout, /unknown rule id "go\/unclosed-bdy"/);
    assert.doesNotMatch(r.stdout, /unused-ignore/);
    const again = shipshape(['audit', '--fix', 'svc'], ws.dir);
    assert.equal(fs.readFileSync(file, 'utf8'), FIXED);
    assert.doesNotMatch(again.stderr, /fixed/);
  } finally {
    ws.cleanup();
  }
});

test('--fix-dry-run prints a unified diff and writes nothing', () => {
  const ws = workspace({ 'main.go': GO });
  const file = path.join(ws.dir, 'main.go');
  try {
    const r = shipshape(['audit', '--fix-dry-run', '.'], ws.dir);
    assert.equal(fs.readFileSync(file, 'utf8'), GO);
    assert.match(r.stdout, /^--- a\/main\.go\n\+\+\+ b\/main\.go\n@@ /m);
    assert.match(r.stdout, /^-\tx := 1 \/\/ shipshape:ignore shipshape\/unknown-rule$/m);
    assert.match(r.stdout, /^\+\tx := 1$/m);
    assert.match(r.stdout, /^-\t\/\/ shipshape:ignore shipshape\/unknown-rule$/m);
    assert.match(r.stderr, /after fixing: 1 finding \(0 errors, 1 warning, 0 info\) in 1 file/);
    assert.equal(r.code, 1);
    const clean = shipshape(['audit', '--fix-dry-run', '--fail-on', 'error', '.'], ws.dir);
    assert.equal(clean.code, 0);
  } finally {
    ws.cleanup();
  }
});

test('--fix writes only the files given: a sibling outside the paths stays as it was', () => {
  const ws = workspace({ 'a/main.go': GO, 'b/main.go': GO });
  try {
    shipshape(['audit', '--fix', 'a/main.go'], ws.dir);
    assert.equal(fs.readFileSync(path.join(ws.dir, 'a/main.go'), 'utf8'), FIXED);
    assert.equal(fs.readFileSync(path.join(ws.dir, 'b/main.go'), 'utf8'), GO);
  } finally {
    ws.cleanup();
  }
});

test('--fix leaves YAML and Dockerfiles with directives consistent', () => {
  const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x  # shipshape:ignore shipshape/unknown-rule\ndata:\n  a: "1"\n';
  const docker = 'FROM golang:1.23\n# shipshape:ignore shipshape/unknown-rule\nRUN go build ./...\n';
  const ws = workspace({ 'deploy/cm.yaml': yaml, Dockerfile: docker });
  try {
    // --fail-on none: the Dockerfile has real findings (root user, build flags); only the directives matter here.
    const r = shipshape(['audit', '--fix', '--fail-on', 'none', '.'], ws.dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /shipshape\//, 'no directive findings remain');
    assert.equal(fs.readFileSync(path.join(ws.dir, 'deploy/cm.yaml'), 'utf8'), yaml.replace('  # shipshape:ignore shipshape/unknown-rule', ''));
    assert.equal(fs.readFileSync(path.join(ws.dir, 'Dockerfile'), 'utf8'), 'FROM golang:1.23\nRUN go build ./...\n');
  } finally {
    ws.cleanup();
  }
});

test('--fix writes nothing outside the audited folder: symlinks out are neither read nor written, each a notice', () => {
  const docker = 'FROM golang:1.23\n# shipshape:ignore shipshape/unknown-rule\nRUN go build ./...\n';
  const ws = workspace({ 'outside/client.go': GO, 'outside/Dockerfile': docker, 'outside/lib/lib.go': GO, 'ws/main.go': GO });
  const outside = path.join(ws.dir, 'outside');
  try {
    fs.symlinkSync(path.join(outside, 'client.go'), path.join(ws.dir, 'ws/client.go'));
    fs.symlinkSync(path.join(outside, 'Dockerfile'), path.join(ws.dir, 'ws/Dockerfile'));
    fs.symlinkSync(path.join(outside, 'lib'), path.join(ws.dir, 'ws/lib'), 'dir');
    const before = ['client.go', 'Dockerfile', 'lib/lib.go'].map((f) => fs.readFileSync(path.join(outside, f)));
    const dry = shipshape(['audit', '--fix-dry-run', '--fail-on', 'none', 'ws'], ws.dir);
    assert.match(dry.stdout, /^--- a\/ws\/main\.go$/m);
    assert.doesNotMatch(dry.stdout, /client\.go|Dockerfile|lib\.go/, 'the dry run shows only what --fix would write');
    const r = shipshape(['audit', '--fix', '--fail-on', 'none', 'ws'], ws.dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(['client.go', 'Dockerfile', 'lib/lib.go'].map((f) => fs.readFileSync(path.join(outside, f))), before);
    assert.equal(fs.readFileSync(path.join(ws.dir, 'ws/main.go'), 'utf8'), FIXED, 'files inside are fixed');
    // Symlinks leading out are not followed: not audited, each a notice naming the link.
    for (const f of ['client.go', 'Dockerfile', 'lib']) {
      assert.match(r.stderr, new RegExp(`ws/${f.replace('.', '\\.')}: not audited: a symlink to a path outside the audited folder \\(outside-workspace\\)`));
    }
    assert.match(r.stderr, /fixed 2 problems in ws\/main\.go/);
    assert.doesNotMatch(r.stderr, /fixed \d+ problems? in ws\/(client|Dockerfile|lib)/);
    assert.doesNotMatch(r.stdout, /client\.go|Dockerfile|lib\.go/, 'nothing read through them is reported');
  } finally {
    ws.cleanup();
  }
});

test('--fix keeps a UTF-8 byte order mark and CRLF line endings', () => {
  const crlf = GO.replaceAll('\n', '\r\n');
  const ws = workspace({ 'main.go': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf, 'utf8')]) });
  const file = path.join(ws.dir, 'main.go');
  try {
    const r = shipshape(['audit', '--fix', '.'], ws.dir);
    assert.match(r.stderr, /fixed 2 problems in main\.go/);
    const bytes = fs.readFileSync(file);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the BOM is kept');
    assert.equal(bytes.subarray(3).toString('utf8'), FIXED.replaceAll('\n', '\r\n'), 'CRLF kept, content fixed');
    const again = shipshape(['audit', '--fix', '.'], ws.dir);
    assert.doesNotMatch(again.stderr, /fixed/);
    assert.deepEqual(fs.readFileSync(file), bytes);
  } finally {
    ws.cleanup();
  }
});
