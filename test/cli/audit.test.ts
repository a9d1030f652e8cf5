// `shipshape audit`: output formats, exit codes, flags (spawns node dist/cli.js).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureBuilt, shipshape, workspace } from '../support/cli';

before(ensureBuilt);

// A typo'd directive is a warning (shipshape/unknown-rule); the line starts with non-ASCII text so
// columns are checked in UTF-16 units.
const GO = 'package main\n\nfunc main() {\n\tx := "café 🚀" // shipshape:ignore go/unclosed-bdy\n\t_ = x\n}\n';
const COLUMN = GO.split('\n')[3].indexOf('go/unclosed-bdy') + 1;

test('text output: grouped by file, line:col, severity, message, rule id, summary; exit 1 on a warning', () => {
  const ws = workspace({ 'svc/main.go': GO });
  try {
    const r = shipshape(['audit', 'svc'], ws.dir);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.split('\n');
    assert.equal(lines[0], 'svc/main.go');
    assert.match(lines[1], new RegExp(`^  4:${COLUMN}  warning  unknown rule id "go/unclosed-bdy" .*  shipshape/unknown-rule$`));
    assert.match(r.stdout, /^1 finding \(0 errors, 1 warning, 0 info\) in 1 file, \d+\.\d\ds$/m);
    assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colour when stdout is not a TTY');
  } finally {
    ws.cleanup();
  }
});

test('colour only when asked (a TTY, or FORCE_COLOR), never in --output files', () => {
  const ws = workspace({ 'main.go': GO });
  try {
    assert.match(shipshape(['audit'], ws.dir, { FORCE_COLOR: '1' }).stdout, /\x1b\[33mwarning/);
    assert.doesNotMatch(shipshape(['audit'], ws.dir, { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout, /\x1b\[/);
    shipshape(['audit', '-o', 'report.txt'], ws.dir, { FORCE_COLOR: '1' });
    assert.doesNotMatch(fs.readFileSync(path.join(ws.dir, 'report.txt'), 'utf8'), /\x1b\[/);
  } finally {
    ws.cleanup();
  }
});

test('--fail-on decides the exit code', () => {
  const ws = workspace({ 'main.go': GO });
  try {
    assert.equal(shipshape(['audit', '.', '--fail-on', 'error'], ws.dir).code, 0);
    assert.equal(shipshape(['audit', '.', '--fail-on', 'none'], ws.dir).code, 0);
    assert.equal(shipshape(['audit', '.', '--fail-on', 'info'], ws.dir).code, 1);
    assert.equal(shipshape(['audit', '.', '--fail-on', 'fatal'], ws.dir).code, 2);
  } finally {
    ws.cleanup();
  }
});

test('json output is the documented shape, with 1-based UTF-16 columns and offsets', () => {
  const ws = workspace({ 'main.go': GO });
  try {
    const r = shipshape(['audit', '--format', 'json'], ws.dir);
    assert.equal(r.code, 1);
    const report = JSON.parse(r.stdout) as {
      version: number; tool: { name: string }; summary: Record<string, number>;
      findings: { file: string; ruleId: string; start: { line: number; column: number; offset: number }; end: { column: number } }[];
    };
    assert.equal(report.version, 1);
    assert.equal(report.tool.name, 'shipshape');
    assert.deepEqual(Object.keys(report.summary), ['files', 'findings', 'error', 'warning', 'info', 'durationMs', 'skipped', 'internalErrors']);
    assert.equal(report.summary.files, 1);
    assert.equal(report.findings.length, 1);
    const f = report.findings[0];
    assert.equal(f.file, 'main.go');
    assert.equal(f.ruleId, 'shipshape/unknown-rule');
    assert.deepEqual(f.start, { line: 4, column: COLUMN, offset: GO.indexOf('go/unclosed-bdy') });
    assert.equal(f.end.column - f.start.column, 'go/unclosed-bdy'.length);
  } finally {
    ws.cleanup();
  }
});

test('--output writes the report to a file (creating its folder); stdout stays empty', () => {
  const ws = workspace({ 'main.go': GO });
  try {
    const r = shipshape(['audit', '-f', 'json', '-o', 'out/report.json', '.'], ws.dir);
    assert.equal(r.stdout, '');
    assert.equal((JSON.parse(fs.readFileSync(path.join(ws.dir, 'out/report.json'), 'utf8')) as { findings: unknown[] }).findings.length, 1);
  } finally {
    ws.cleanup();
  }
});

test('--quiet prints only failing findings, no summary', () => {
  const ws = workspace({ 'main.go': GO });
  try {
    const r = shipshape(['audit', '--quiet', '--fail-on', 'error'], ws.dir);
    assert.equal(r.stdout, '');
    assert.equal(r.code, 0);
    const loud = shipshape(['audit', '-q'], ws.dir);
    assert.match(loud.stdout, /shipshape\/unknown-rule/);
    assert.doesNotMatch(loud.stdout, /finding.*in 1 file/);
  } finally {
    ws.cleanup();
  }
});

test('--no-inline-config ignores directives', () => {
  const ws = workspace({ 'main.go': GO });
  try {
    const r = shipshape(['audit', '--no-inline-config'], ws.dir);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /^no findings/m);
  } finally {
    ws.cleanup();
  }
});

test('a path that does not exist: exit 2 naming it', () => {
  const ws = workspace({ 'main.go': GO });
  try {
    const r = shipshape(['audit', 'main.go', 'no/such/dir'], ws.dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no such file or directory: no\/such\/dir/);
  } finally {
    ws.cleanup();
  }
});

test('an empty directory: exit 0 and "no files"', () => {
  const ws = workspace({});
  try {
    const r = shipshape(['audit', '.'], ws.dir);
    assert.equal(r.code, 0);
    assert.match(r.stderr, /no files/);
    assert.match(r.stdout, /in no files/);
  } finally {
    ws.cleanup();
  }
});

test('--version, --help, unknown options and bad values', () => {
  const ws = workspace({});
  try {
    const v = shipshape(['--version'], ws.dir);
    assert.equal(v.code, 0);
    assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
    const h = shipshape(['audit', '--help'], ws.dir);
    assert.equal(h.code, 0);
    for (const flag of ['--format', '--output', '--fail-on', '--quiet', '--config', '--no-inline-config', '--fix', '--fix-dry-run', '--max-file-size', '--jobs']) {
      assert.ok(h.stdout.includes(flag), `help mentions ${flag}`);
    }
    assert.equal(shipshape(['audit', '--bogus'], ws.dir).code, 2);
    assert.equal(shipshape(['audit', '--format', 'xml'], ws.dir).code, 2);
    assert.equal(shipshape(['audit', '--jobs', '0'], ws.dir).code, 2);
    assert.equal(shipshape(['audit', '--jobs', '2'], ws.dir).code, 0);
    assert.equal(shipshape(['audit', '--fix', '--fix-dry-run'], ws.dir).code, 2);
    assert.equal(shipshape(['frobnicate'], ws.dir).code, 2);
  } finally {
    ws.cleanup();
  }
});
