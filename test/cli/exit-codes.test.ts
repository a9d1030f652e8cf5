// Exit codes that never lie (docs/cli.md "Exit codes"): an internal error exits 2 and is shown even with -q;
// skipped files are counted; a run that read nothing because every file was skipped exits 2.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { ensureBuilt, shipshape, workspace } from '../support/cli';
import { defineDockerRule, type AnyRule } from '../../server/src/engine/rule';
import { RULES } from '../../server/src/rules/index';
import { runAudit } from '../../server/src/cli/run-audit';
import type { AuditCommandOptions } from '../../server/src/cli/audit-options';

before(ensureBuilt);

const THROWING: AnyRule = defineDockerRule({
  id: 'docker/test-throws',
  meta: { title: 'Throws', description: 'A rule that fails, as a bug would.', severity: 'warning', fixable: false, messages: {} },
  check() {
    throw new Error('boom');
  },
});

const OPTIONS: AuditCommandOptions = { outputs: [{ format: 'text' }], failOn: 'warning', quiet: false, inlineConfig: true, fix: false, fixDryRun: false, ignore: true, jobs: 1 };

async function runInProcess(rules: readonly AnyRule[], dir: string, opts: Partial<AuditCommandOptions>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runAudit(rules, ['.'], { ...OPTIONS, ...opts }, { cwd: dir, color: false, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

test('a rule that throws on a file: exit 2, printed even with --quiet, counted in the summary and JSON', async () => {
  const ws = workspace({ Dockerfile: 'FROM golang:1.22\n', 'main.go': 'package main\n' });
  try {
    const r = await runInProcess([...RULES, THROWING], ws.dir, {});
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /internal error on Dockerfile: rule docker\/test-throws failed: boom/);
    assert.match(r.stdout, /; 1 internal error$/m);
    const quiet = await runInProcess([...RULES, THROWING], ws.dir, { quiet: true });
    assert.equal(quiet.code, 2);
    assert.match(quiet.stderr, /internal error on Dockerfile/);
    const json = await runInProcess([...RULES, THROWING], ws.dir, { outputs: [{ format: 'json' }], failOn: 'none' });
    assert.equal(json.code, 2, 'an internal error fails the run whatever --fail-on says');
    assert.equal((JSON.parse(json.stdout) as { summary: Record<string, number> }).summary.internalErrors, 1);
  } finally {
    ws.cleanup();
  }
});

test('--max-file-size below every file: nothing audited, exit 2, skipped files counted', () => {
  const ws = workspace({ 'main.go': 'package main\n\nfunc main() {}\n', Dockerfile: 'FROM golang:1.22\n' });
  try {
    const r = shipshape(['audit', '--max-file-size', '10'], ws.dir);
    assert.equal(r.code, 2);
    assert.match(r.stdout, /in no files, [\d.]+s; 2 files skipped \(2 too-large\)/);
    assert.match(r.stderr, /nothing audited: all 2 files were skipped/);
    const json = shipshape(['audit', '--max-file-size', '10', '-f', 'json'], ws.dir);
    assert.equal(json.code, 2);
    assert.equal((JSON.parse(json.stdout) as { summary: Record<string, number> }).summary.skipped, 2);
  } finally {
    ws.cleanup();
  }
});

test('some files skipped, others audited: the exit code is the findings\', the summary counts the skipped', () => {
  const ws = workspace({ 'main.go': 'package main\n', 'blob.go': Buffer.from([0, 1, 2]) });
  try {
    const r = shipshape(['audit'], ws.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /in 1 file, [\d.]+s; 1 file skipped \(1 binary\)$/m);
  } finally {
    ws.cleanup();
  }
});
