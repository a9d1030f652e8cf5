#!/usr/bin/env node
// The one test command (README): builds, checks the toolchains the tests need,
// runs every suite — unit, protocol, end-to-end — and ends with ONE line
// `N passed, N failed` covering all of them. Skipped tests count as failures:
// a test never skips silently.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : undefined;
const wants = (suite) => !only || only.includes(suite);
const resultsDir = path.join(root, '.test-results');
fs.mkdirSync(resultsDir, { recursive: true });

let passed = 0;
let failed = 0;
const problems = [];

function run(cmd, cmdArgs, opts = {}) {
  console.log(`\n$ ${cmd} ${cmdArgs.join(' ')}`);
  return spawnSync(cmd, cmdArgs, { stdio: 'inherit', ...opts });
}

function step(name, cmd, cmdArgs, opts) {
  const r = run(cmd, cmdArgs, opts);
  if (r.status === 0) passed++;
  else {
    failed++;
    problems.push(`${name} failed (exit ${r.status ?? r.signal})`);
  }
  return r.status === 0;
}

function testFiles(dirs) {
  const out = [];
  const walk = (d) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'fixtures' && e.name !== 'workspace' && e.name !== 'e2e') walk(p);
      } else if (e.name.endsWith('.test.ts')) out.push(path.relative(root, p));
    }
  };
  dirs.forEach(walk);
  return out.sort();
}

function nodeTestSuite(name, dirs) {
  const files = testFiles(dirs);
  if (files.length === 0) {
    failed++;
    problems.push(`${name}: no test files found in ${dirs.join(', ')}`);
    return;
  }
  const out = path.join(resultsDir, `${name}.json`);
  fs.rmSync(out, { force: true });
  run(process.execPath, [
    '--import', 'tsx', '--test', '--test-concurrency=2',
    '--test-reporter=spec', '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/count-reporter.mjs', `--test-reporter-destination=${out}`,
    ...files,
  ], { env: { ...process.env, SHIPSHAPE_TEST: '1' } });
  if (!fs.existsSync(out)) {
    failed++;
    problems.push(`${name}: the test runner wrote no results`);
    return;
  }
  const r = JSON.parse(fs.readFileSync(out, 'utf8'));
  passed += r.passed;
  failed += r.failed + r.skipped;
  for (const f of r.failures) problems.push(`${name}: ${f}`);
  if (r.skipped) problems.push(`${name}: ${r.skipped} skipped test(s) counted as failures`);
}

// 1. What the tests need, installed idempotently (or a clear failure).
step('test prerequisites', 'bash', ['scripts/ensure-test-deps.sh', ...(wants('e2e') ? ['--e2e'] : [])]);
// 2. Type-check and build the bundles the protocol and end-to-end tests run.
step('type-check', process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.']);
step('build', process.execPath, ['scripts/build.mjs']);
// 3. Suites.
if (wants('unit')) nodeTestSuite('unit', ['test/engine', 'test/rules', 'test/cli', 'test/docs', 'test/syntaxes', 'test/bench', 'test/client']);
if (wants('protocol')) nodeTestSuite('protocol', ['test/lsp']);
if (wants('e2e') && fs.existsSync('test/e2e/run-e2e.mjs')) {
  const r = spawnSync(process.execPath, ['test/e2e/run-e2e.mjs'], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  process.stdout.write(r.stdout ?? '');
  const m = [...(r.stdout ?? '').matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
  if (m) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  }
  if (!m || r.status !== 0) {
    if (!m || Number(m[2]) === 0) failed++;
    problems.push(`e2e: exit ${r.status}${m ? '' : ', no summary line'}`);
  }
}

if (problems.length) console.log(`\nProblems:\n- ${problems.join('\n- ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
