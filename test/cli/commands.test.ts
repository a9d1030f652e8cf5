// shipshape rules / explain / init / config print, --rule, --only, --stdin, and the progress bar.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CLI, ensureBuilt, shipshape, workspace } from '../support/cli';
import { RULES } from '../../server/src/rules/index';
import { ConfigValidator } from '../../server/src/engine/config/config-file';
import { buildConfigSchema } from '../../server/src/engine/config/config-schema';
import { configTemplate } from '../../server/src/host-shared/config-template';
import { terminalProgress } from '../../server/src/cli/progress';
import { suggest } from '../../server/src/core/suggest';

before(ensureBuilt);

const GO = 'package main\n\n// shipshape:ignore go/unclosed-bdy\nfunc main() {}\n';

test('shipshape rules: a table and JSON with id, severity, fixable, title', () => {
  const ws = workspace({});
  try {
    const table = shipshape(['rules'], ws.dir);
    assert.equal(table.code, 0);
    assert.match(table.stdout, /^RULE\s+SEVERITY\s+FIXABLE\s+TITLE$/m);
    assert.match(table.stdout, /^go\/unclosed-body\s+warning\s+yes\s+HTTP response body never closed$/m);
    const json = JSON.parse(shipshape(['rules', '-f', 'json'], ws.dir).stdout) as { id: string; severity: string; fixable: boolean; title: string }[];
    assert.equal(json.length, RULES.length);
    assert.deepEqual(Object.keys(json[0]), ['id', 'severity', 'fixable', 'title']);
  } finally {
    ws.cleanup();
  }
});

test('shipshape explain <rule>: the docs page; a typo gets a suggestion and exit 2', () => {
  const ws = workspace({});
  try {
    const r = shipshape(['explain', 'go/unclosed-body'], ws.dir);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^go\/unclosed-body {2}warning, fixable$/m);
    assert.match(r.stdout, /^What it flags$/m);
    assert.doesNotMatch(r.stdout, /^title:/m, 'front matter dropped');
    const typo = shipshape(['explain', 'go/unclosed-bdy'], ws.dir);
    assert.equal(typo.code, 2);
    assert.match(typo.stderr, /unknown rule "go\/unclosed-bdy" \(did you mean "go\/unclosed-body"\?\)/);
  } finally {
    ws.cleanup();
  }
});

test('the config template lists every rule and option at its default and validates', () => {
  const text = configTemplate(buildConfigSchema(RULES));
  const result = new ConfigValidator(RULES).check('.shipshape.yaml', text);
  assert.deepEqual(result.problems, []);
  for (const rule of RULES) {
    assert.match(text, new RegExp(`^  ${rule.id.replace(/[/-]/g, '\\$&')}:`, 'm'), rule.id);
    for (const option of Object.keys(rule.meta.options ?? {})) assert.match(text, new RegExp(`^      ${option}: `, 'm'), `${rule.id} ${option}`);
  }
  // The shipped schema (the one the editor command bundles) gives the same template.
  const shipped = JSON.parse(fs.readFileSync(path.join(__dirname, '../../schemas/shipshape.schema.json'), 'utf8')) as object;
  assert.equal(configTemplate(shipped), text);
});

test('shipshape init writes .shipshape.yaml once; config print shows the effective config of a file', () => {
  const ws = workspace({ 'svc/main.go': GO });
  try {
    const r = shipshape(['init'], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /wrote \.shipshape\.yaml/);
    assert.equal(shipshape(['audit'], ws.dir).code, 1, 'the defaults audit as no config does');
    const again = shipshape(['init'], ws.dir);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /\.shipshape\.yaml already exists here; not overwritten/);
    fs.writeFileSync(path.join(ws.dir, 'svc/.shipshape.yml'), 'rules:\n  go/unclosed-body: error\noverrides:\n  - files: "*_test.go"\n    rules: { go/unclosed-body: off }\n');
    const printed = shipshape(['config', 'print', 'svc/main.go'], ws.dir);
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /^configFile: svc\/\.shipshape\.yml$/m);
    assert.match(printed.stdout, /^ {2}go\/unclosed-body:\n {4}severity: error$/m);
    const test = JSON.parse(shipshape(['config', 'print', 'svc/x_test.go', '-f', 'json', '--rule', 'k8s/missing-limits=off'], ws.dir).stdout) as { rules: Record<string, { severity: string }> };
    assert.equal(test.rules['go/unclosed-body'].severity, 'off');
    assert.equal(test.rules['k8s/missing-limits'].severity, 'off');
  } finally {
    ws.cleanup();
  }
});

test('--rule id=severity and --only ids win over the config; unknown ids are usage errors', () => {
  const ws = workspace({ 'main.go': GO });
  try {
    assert.equal(shipshape(['audit', '--rule', 'shipshape/unknown-rule=off'], ws.dir).code, 0);
    assert.equal(shipshape(['audit', '--rule', 'shipshape/unknown-rule=info'], ws.dir).code, 0);
    assert.equal(shipshape(['audit', '--rule', 'shipshape/unknown-rule=error', '--fail-on', 'error'], ws.dir).code, 1);
    assert.equal(shipshape(['audit', '--only', 'go/unclosed-body'], ws.dir).code, 0);
    assert.equal(shipshape(['audit', '--only', 'go/unclosed-body,shipshape/unknown-rule'], ws.dir).code, 1);
    const bad = shipshape(['audit', '--only', 'go/unclosed-bdy'], ws.dir);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown rule "go\/unclosed-bdy" in --only \(did you mean "go\/unclosed-body"\?\)/);
    assert.match(shipshape(['audit', '--rule', 'go/unclosed-body=fatal'], ws.dir).stderr, /severity must be one of off, info, warning, error/);
  } finally {
    ws.cleanup();
  }
});

test('--stdin --stdin-filename: the text is audited as that file, with its config', () => {
  const ws = workspace({ 'svc/.shipshape.yaml': 'exclude: ["gen/**"]\n' });
  try {
    const run = (args: string[]): ReturnType<typeof spawnSync> => spawnSync(process.execPath, [CLI, 'audit', ...args], { cwd: ws.dir, input: GO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    const r = run(['--stdin', '--stdin-filename', 'svc/main.go', '-f', 'compact']);
    assert.equal(r.status, 1, String(r.stderr));
    assert.match(String(r.stdout), /^svc\/main\.go:3:21: warning: unknown rule id "go\/unclosed-bdy".*\[shipshape\/unknown-rule\]$/m);
    const excluded = run(['--stdin', '--stdin-filename', 'svc/gen/x.go']);
    assert.equal(excluded.status, 0);
    assert.match(String(excluded.stderr), /skipped svc\/gen\/x\.go: matches an exclude glob/);
    assert.equal(run(['--stdin']).status, 2);
  } finally {
    ws.cleanup();
  }
});

test('progress: nothing in the first 2 s, then a bar with files done/total and the folder, cleared at the end', () => {
  let now = 0;
  let out = '';
  const p = terminalProgress((t) => (out += t), '/w', 80, () => now);
  p.update(1, 10, '/w/svc/a.go');
  assert.equal(out, '');
  now = 2500;
  p.update(4, 10, '/w/svc/api/b.go');
  assert.match(out, /\r\[#{10}-{14}\] 4\/10 files {2}svc\/api\x1b\[K$/);
  p.finish();
  assert.match(out, /\r\x1b\[K$/);
});

test('progress never shows in pipes (spawned runs have no TTY)', () => {
  const ws = workspace({ 'main.go': GO });
  try {
    assert.doesNotMatch(shipshape(['audit'], ws.dir).stderr, /\[#|\r/);
  } finally {
    ws.cleanup();
  }
});

test('suggestions are relative to length: foo suggests nothing for cpu', () => {
  assert.equal(suggest('foo', ['cpu', 'memory']), '');
  assert.equal(suggest('defaultCpuu', ['defaultCpu', 'defaultMemory']), ' (did you mean "defaultCpu"?)');
});
