// File discovery as the go tool and ESLint do it: testdata/, _dir/ and .dir/ skipped, .gitignore honoured
// (--no-ignore audits it all), named files filtered by exclude too, .shipshape.yml read, unsupported names reported.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureBuilt, shipshape, workspace } from '../support/cli';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { collectFiles } from '../../server/src/engine/audit';
import { RULES } from '../../server/src/rules/index';

before(ensureBuilt);

const GO = 'package main\n';
const files = (dir: string, r: ReturnType<typeof collectFiles>): string[] => r.files.map((f) => path.relative(dir, f).split(path.sep).join('/'));

test('testdata/, _dir/ and .dir/ are skipped as the go tool skips them; vendor/ and node_modules/ too', () => {
  const ws = workspace({
    'main.go': GO, 'testdata/bad.go': GO, 'pkg/testdata/x.go': GO, '_old/a.go': GO, '.cache/b.go': GO,
    'vendor/v.go': GO, 'node_modules/m/Dockerfile': 'FROM x\n', 'pkg/ok.go': GO, 'pkg/.hidden.go': GO,
  });
  try {
    const got = files(ws.dir, collectFiles([ws.dir], new StaticConfigResolver(RULES, {}, ws.dir)));
    assert.deepEqual(got, ['main.go', 'pkg/.hidden.go', 'pkg/ok.go']);
    // A folder named on the command line is walked even when its own name would be skipped.
    assert.deepEqual(files(ws.dir, collectFiles([path.join(ws.dir, 'testdata')], new StaticConfigResolver(RULES, {}, ws.dir))), ['testdata/bad.go']);
  } finally {
    ws.cleanup();
  }
});

test('.gitignore is honoured inside a git work tree, nested files and negations included; --no-ignore turns it off', () => {
  const ws = workspace({
    '.gitignore': 'gen/\n*.pb.go\n', 'main.go': GO, 'gen/x.go': GO, 'api/api.pb.go': GO,
    'svc/.gitignore': 'local.go\n!keep.pb.go\n', 'svc/local.go': GO, 'svc/keep.pb.go': GO, 'svc/main.go': GO,
  });
  try {
    fs.mkdirSync(path.join(ws.dir, '.git'));
    fs.mkdirSync(path.join(ws.dir, '.git/info'));
    fs.writeFileSync(path.join(ws.dir, '.git/info/exclude'), 'scratch.go\n');
    fs.writeFileSync(path.join(ws.dir, 'scratch.go'), GO);
    const config = new StaticConfigResolver(RULES, {}, ws.dir);
    assert.deepEqual(files(ws.dir, collectFiles([ws.dir], config)), ['main.go', 'svc/keep.pb.go', 'svc/main.go']);
    assert.equal(collectFiles([ws.dir], config, { gitignore: false }).files.length, 7);
    const r = shipshape(['audit', '-f', 'json'], ws.dir);
    assert.equal((JSON.parse(r.stdout) as { summary: Record<string, number> }).summary.files, 3);
    const all = shipshape(['audit', '-f', 'json', '--no-ignore'], ws.dir);
    assert.equal((JSON.parse(all.stdout) as { summary: Record<string, number> }).summary.files, 7);
    // A named file that .gitignore ignores is skipped with a notice.
    const named = shipshape(['audit', 'gen/x.go', 'main.go'], ws.dir);
    assert.match(named.stderr, /skipped gen\/x\.go: ignored by \.gitignore/);
  } finally {
    ws.cleanup();
  }
});

test('named files are filtered by exclude too; all of them excluded: exit 0 and a notice, by choice', () => {
  const ws = workspace({ '.shipshape.yaml': 'exclude: ["gen/**"]\n', 'gen/a.go': 'package gen\n\n// shipshape:ignore nope/nope\n', 'main.go': GO });
  try {
    const r = shipshape(['audit', 'gen/a.go'], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /skipped gen\/a\.go: matches an exclude glob of the configuration \(excluded\)/);
    assert.match(r.stderr, /nothing to audit: every file named is excluded .*by choice/);
    const mixed = shipshape(['audit', 'gen/a.go', 'main.go', '-f', 'json'], ws.dir);
    assert.equal((JSON.parse(mixed.stdout) as { summary: Record<string, number> }).summary.files, 1);
    const testdata = shipshape(['audit', 'testdata/x.go'], (fs.mkdirSync(path.join(ws.dir, 'testdata')), fs.writeFileSync(path.join(ws.dir, 'testdata/x.go'), GO), ws.dir));
    assert.equal(testdata.code, 0);
    assert.match(testdata.stderr, /skipped testdata\/x\.go: inside testdata\//);
  } finally {
    ws.cleanup();
  }
});

test('a named file Shipshape cannot audit is reported; only such files: exit 2', () => {
  const ws = workspace({ 'README.md': '# hi\n', 'main.go': GO });
  try {
    const only = shipshape(['audit', 'README.md'], ws.dir);
    assert.equal(only.code, 2);
    assert.match(only.stderr, /skipped README\.md: not a Go file, Dockerfile or YAML file \(unsupported\)/);
    const mixed = shipshape(['audit', 'README.md', 'main.go'], ws.dir);
    assert.equal(mixed.code, 0);
    assert.match(mixed.stderr, /skipped README\.md: not a Go file/);
  } finally {
    ws.cleanup();
  }
});

test('.shipshape.yml is read like .shipshape.yaml; both in one folder is a config error', () => {
  const ws = workspace({ '.shipshape.yml': 'rules:\n  shipshape/unknown-rule: off\n', 'main.go': 'package main\n\n// shipshape:ignore nope/nope\n' });
  try {
    assert.equal(shipshape(['audit'], ws.dir).code, 0);
    fs.writeFileSync(path.join(ws.dir, '.shipshape.yaml'), 'rules: {}\n');
    const both = shipshape(['audit'], ws.dir);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /both \.shipshape\.yaml and \.shipshape\.yml are in this folder; keep one/);
  } finally {
    ws.cleanup();
  }
});
