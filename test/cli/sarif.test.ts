// --format sarif: SARIF 2.1.0 validated by Microsoft's SARIF multitool; stable fingerprints; rule metadata.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { REPO } from '../support/harness';
import { ensureBuilt, shipshape, workspace } from '../support/cli';

before(ensureBuilt);

const GO = 'package main\n\n// café 🚀\nfunc main() {\n\tx := 1 // shipshape:ignore go/unclosed-bdy\n\ty := 2 // shipshape:ignore shipshape/unknown-rule\n\t_, _ = x, y\n}\n';

/** The multitool's native binary (npm installs it without running its chmod postinstall when scripts are off). */
function multitool(): string {
  const bin = (require('@microsoft/sarif-multitool') as string);
  const mode = fs.statSync(bin).mode;
  if ((mode & 0o100) === 0) fs.chmodSync(bin, mode | 0o100);
  return bin;
}

/** Runs `Sarif.Multitool validate`; it exits 0 even for invalid logs, so its output is read for results. */
function validate(file: string): string[] {
  const out = path.join(path.dirname(file), 'validation.sarif');
  fs.rmSync(out, { force: true });
  const r = spawnSync(multitool(), ['validate', file, '--output', out], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: '1' } });
  assert.ok(fs.existsSync(out), `multitool wrote no result (exit ${r.status}): ${r.stdout}${r.stderr}`);
  const log = JSON.parse(fs.readFileSync(out, 'utf8')) as Sarif.Log;
  // A result without `level` is a warning (SARIF's default).
  const problems = (log.runs ?? []).flatMap((run) => run.results ?? []).filter((x) => (x.level ?? 'warning') === 'error' || (x.level ?? 'warning') === 'warning');
  const failures = (log.runs ?? []).flatMap((run) => run.invocations ?? []).flatMap((i) => i.toolExecutionNotifications ?? []).filter((n) => n.level === 'error');
  return [...problems, ...failures].map((x) => `${x.level ?? 'warning'}: ${(x as Sarif.Result).ruleId ?? ''} ${x.message.text ?? JSON.stringify(x.message)}`);
}

/** Validation problems, less the one best-practice warning allowed: no informationUri while package.json names no repository (no URL to give). */
function validationProblems(file: string): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { repository?: unknown };
  return validate(file).filter((p) => pkg.repository || !p.includes('Warning_ProvideToolnformationUri'));
}

function sarifOf(dir: string, args: string[] = []): Sarif.Log {
  const r = shipshape(['audit', '--format', 'sarif', ...args], dir);
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
  return JSON.parse(r.stdout) as Sarif.Log;
}

test('the SARIF log validates with the SARIF multitool, with skipped files as notifications', () => {
  const ws = workspace({ 'svc/main.go': GO, 'svc/blob.go': Buffer.from([0x70, 0, 1, 2, 0xff]), 'deploy/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a  # shipshape:ignore k8s/nope\n' });
  try {
    const out = path.join(ws.dir, 'out.sarif');
    const r = shipshape(['audit', '--format', 'sarif', '--output', out], ws.dir);
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(validationProblems(out), []);
    const log = JSON.parse(fs.readFileSync(out, 'utf8')) as Sarif.Log;
    const run = log.runs[0];
    assert.equal(log.version, '2.1.0');
    assert.equal(run.columnKind, 'utf16CodeUnits');
    assert.equal(run.results?.length, 3);
    const notes = run.invocations?.[0].toolExecutionNotifications ?? [];
    assert.deepEqual(notes.map((n) => n.locations?.[0].physicalLocation?.artifactLocation?.uri), ['svc/blob.go']);
  } finally {
    ws.cleanup();
  }
});

// The example workspace and every rule's fixtures (many findings, fixes, odd text) must validate clean.
test('SARIF of examples/shop and of test/fixtures validates clean', { timeout: 900_000 }, () => {
  const ws = workspace({});
  try {
    for (const target of ['examples/shop', 'test/fixtures']) {
      const out = path.join(ws.dir, `${target.replace(/\//g, '-')}.sarif`);
      const r = shipshape(['audit', target, '--format', 'sarif', '--output', out, '--fail-on', 'none'], REPO);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(validationProblems(out), [], target);
      assert.ok(((JSON.parse(fs.readFileSync(out, 'utf8')) as Sarif.Log).runs[0].results ?? []).length > 0, `${target}: some results`);
    }
  } finally {
    ws.cleanup();
  }
});

test('the validator is read correctly: an invalid log yields problems', () => {
  const ws = workspace({ 'bad.sarif': JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a.go' }, region: { startLine: 0 } } }] }] }] }) });
  try {
    assert.ok(validate(path.join(ws.dir, 'bad.sarif')).some((p) => p.startsWith('error')));
  } finally {
    ws.cleanup();
  }
});

test('results: ruleId, ruleIndex, level, UTF-16 region, safe fixes as artifactChanges', () => {
  const ws = workspace({ 'main.go': GO });
  try {
    const run = sarifOf(ws.dir).runs[0];
    const rules = run.tool.driver.rules ?? [];
    const results = run.results ?? [];
    const unknown = results.find((x) => x.ruleId === 'shipshape/unknown-rule');
    const unused = results.find((x) => x.ruleId === 'shipshape/unused-ignore');
    assert.ok(unknown && unused);
    assert.equal(rules[unknown.ruleIndex ?? -1].id, 'shipshape/unknown-rule');
    assert.equal(unknown.level, 'warning');
    assert.equal(unused.level, 'note');
    const line = GO.split('\n')[4];
    assert.deepEqual(unknown.locations?.[0].physicalLocation?.region, {
      startLine: 5, startColumn: line.indexOf('go/unclosed-bdy') + 1, endLine: 5, endColumn: line.indexOf('go/unclosed-bdy') + 1 + 'go/unclosed-bdy'.length,
      charOffset: GO.indexOf('go/unclosed-bdy'), charLength: 'go/unclosed-bdy'.length,
    });
    assert.equal(unknown.fixes, undefined, 'no fix');
    assert.equal(unused.fixes?.[0].description?.text, 'Remove the unused directive');
    assert.equal(unused.fixes?.[0].artifactChanges[0].replacements[0].insertedContent?.text, '');
  } finally {
    ws.cleanup();
  }
});

test('driver: version and every rule with descriptions, default level, its docs page without front matter as help.markdown, and its https page as helpUri', () => {
  const ws = workspace({ 'main.go': GO });
  try {
    const driver = sarifOf(ws.dir).runs[0].tool.driver;
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string; repository: { url: string } };
    assert.equal(driver.version, pkg.version);
    const repo = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    assert.match(repo, /^https:\/\/github\.com\//);
    assert.equal(driver.informationUri, repo);
    const rule = driver.rules?.find((r) => r.id === 'shipshape/unused-ignore');
    assert.ok(rule);
    assert.equal(rule.shortDescription?.text, 'Ignore directive suppresses nothing');
    assert.ok((rule.fullDescription?.text ?? '').length > 0);
    assert.equal(rule.defaultConfiguration?.level, 'note');
    const page = fs.readFileSync(path.join(REPO, 'docs/rules/shipshape/unused-ignore.md'), 'utf8');
    assert.ok(page.startsWith('---\n'), 'the page has front matter');
    assert.equal(rule.help?.markdown, page.slice(page.indexOf('\n---\n') + 5));
    assert.ok(rule.help?.markdown?.startsWith('# shipshape/unused-ignore\n'), 'help.markdown starts at the page heading');
    for (const r of driver.rules ?? []) {
      assert.equal(r.helpUri, `${repo}/blob/v${pkg.version}/docs/rules/${r.id}.md`, r.id);
      assert.ok(!(r.help?.markdown ?? '').startsWith('---'), `${r.id}: no front matter in help.markdown`);
    }
  } finally {
    ws.cleanup();
  }
});

test('security-relevant rules carry security-severity and security + CWE tags; the others none', () => {
  const ws = workspace({ 'main.go': GO });
  try {
    const rules = sarifOf(ws.dir).runs[0].tool.driver.rules ?? [];
    const security = rules.filter((r) => r.properties?.['security-severity'] !== undefined);
    assert.deepEqual(security.map((r) => r.id).sort(), [
      'docker/missing-dockerignore', 'docker/runs-as-root', 'go/http-server-no-timeouts', 'go/pprof-exposed', 'go/unbounded-body-read', 'k8s/security-context',
    ]);
    for (const r of rules) {
      const tags = (r.properties?.tags ?? []);
      const severity = r.properties?.['security-severity'] as unknown;
      assert.equal(tags[0], r.id.split('/')[0], `${r.id}: domain tag first`);
      if (severity === undefined) {
        assert.ok(!tags.includes('security'), `${r.id}: a security tag needs a security-severity`);
        continue;
      }
      // GitHub code scanning reads a string holding a number from 0.0 to 10.0.
      assert.equal(typeof severity, 'string', r.id);
      assert.match(severity as string, /^\d{1,2}\.\d$/, r.id);
      assert.ok(Number(severity) > 0 && Number(severity) <= 10, r.id);
      assert.ok(tags.includes('security'), `${r.id}: security tag`);
      assert.ok(tags.some((t) => /^external\/cwe\/cwe-\d+$/.test(t)), `${r.id}: a CWE tag`);
    }
  } finally {
    ws.cleanup();
  }
});

test('partialFingerprints survive code moving down the file and differ between findings', () => {
  const ws = workspace({ 'main.go': GO });
  try {
    const before = sarifOf(ws.dir).runs[0].results ?? [];
    fs.writeFileSync(path.join(ws.dir, 'main.go'), GO.replace('// café 🚀\n', '// café 🚀\n// a new comment\n\nvar added = 1\n'));
    const after = sarifOf(ws.dir).runs[0].results ?? [];
    const prints = (rs: Sarif.Result[]): string[] => rs.map((x) => Object.values(x.partialFingerprints ?? {})[0]);
    assert.equal(before.length, 2);
    assert.deepEqual(prints(after), prints(before));
    assert.notEqual(after[0].locations?.[0].physicalLocation?.region?.startLine, before[0].locations?.[0].physicalLocation?.region?.startLine);
    assert.equal(new Set(prints(before)).size, 2);
  } finally {
    ws.cleanup();
  }
});
