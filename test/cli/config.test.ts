// `.shipshape.yaml` through the CLI: errors with line:column and exit 2, nearest file wins, --config.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBuilt, shipshape, workspace } from '../support/cli';

before(ensureBuilt);

const GO = 'package main\n\nfunc main() {\n\tx := 1 // shipshape:ignore go/unclosed-bdy\n\t_ = x\n}\n';

test('an invalid config: exit 2, file:line:col, did-you-mean, nothing audited', () => {
  const ws = workspace({
    '.shipshape.yaml': '# team settings\nrules:\n  shipshape/unknown-rul: error\n  shipshape/unused-ignore: warn\n',
    'main.go': GO,
  });
  try {
    const r = shipshape(['audit', '.'], ws.dir);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^\.shipshape\.yaml:3:3: error: unknown rule id "shipshape\/unknown-rul" in "rules" \(did you mean "shipshape\/unknown-rule"\?\)$/m);
    assert.match(r.stderr, /^\.shipshape\.yaml:4:28: error: "rules\.shipshape\/unused-ignore" must be one of "off", "info", "warning", "error", not "warn"$/m);
  } finally {
    ws.cleanup();
  }
});

test('broken YAML in the config: exit 2 with its position', () => {
  const ws = workspace({ '.shipshape.yaml': 'rules: [\n', 'main.go': GO });
  try {
    const r = shipshape(['audit'], ws.dir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^\.shipshape\.yaml:\d+:\d+: error: invalid YAML/m);
  } finally {
    ws.cleanup();
  }
});

test('the nearest .shipshape.yaml wins; overrides and exclude apply relative to it', () => {
  const ws = workspace({
    '.shipshape.yaml': 'rules:\n  shipshape/unknown-rule: error\n',
    'a/main.go': GO,
    'b/.shipshape.yaml': 'rules:\n  shipshape/unknown-rule: off\n',
    'b/main.go': GO,
    'c/.shipshape.yaml': 'overrides:\n  - files: "*_test.go"\n    rules: { shipshape/unknown-rule: info }\nexclude: ["gen/**"]\n',
    'c/main_test.go': GO,
    'c/gen/main.go': GO,
  });
  try {
    const r = shipshape(['audit', '-f', 'json', '--fail-on', 'none'], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    const found = (JSON.parse(r.stdout) as { findings: { file: string; severity: string }[] }).findings.map((f: { file: string; severity: string }) => `${f.file} ${f.severity}`);
    assert.deepEqual(found, ['a/main.go error', 'c/main_test.go info']);
    // Auditing a subfolder still finds the repository's top-level config (the root is the working directory).
    const sub = shipshape(['audit', 'a', '-f', 'json'], ws.dir);
    assert.equal((JSON.parse(sub.stdout) as { findings: { severity: string }[] }).findings[0].severity, 'error');
  } finally {
    ws.cleanup();
  }
});

test('inside a repository, its top-level config applies from any subfolder', () => {
  const ws = workspace({ '.git/HEAD': 'ref: refs/heads/main\n', '.shipshape.yaml': 'rules:\n  shipshape/unknown-rule: off\n', 'svc/api/main.go': GO });
  try {
    const r = shipshape(['audit', '.'], `${ws.dir}/svc/api`);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /^no findings/m);
  } finally {
    ws.cleanup();
  }
});

test('--config FILE applies one file to everything; a missing one is exit 2', () => {
  const ws = workspace({ 'conf/strict.yaml': 'rules:\n  shipshape/unknown-rule: off\n', 'main.go': GO, 'b/.shipshape.yaml': 'rules: {}\n', 'b/main.go': GO });
  try {
    const r = shipshape(['audit', '--config', 'conf/strict.yaml'], ws.dir);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const missing = shipshape(['audit', '--config', 'nope.yaml'], ws.dir);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.yaml:1:1: error: config file not found/);
    assert.doesNotMatch(missing.stderr, /ENOENT/);
  } finally {
    ws.cleanup();
  }
});

test('maxFileSize from the config and --max-file-size skip big files with a notice', () => {
  const ws = workspace({ '.shipshape.yaml': 'maxFileSize: 10\n', 'main.go': GO });
  try {
    const r = shipshape(['audit'], ws.dir);
    assert.equal(r.code, 2, 'every file skipped: nothing was audited, so the run is not green');
    assert.match(r.stderr, /skipped main\.go: \d+ bytes is over the 10-byte limit \(too-large\)/);
    const flag = shipshape(['audit', '--max-file-size', '100000'], ws.dir);
    assert.equal(flag.code, 1);
  } finally {
    ws.cleanup();
  }
});
