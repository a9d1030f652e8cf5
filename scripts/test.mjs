#!/usr/bin/env node
// The one test command (README): installs what the tests need, builds, runs every suite — unit, protocol,
// end-to-end — and ends with ONE line `N passed, N failed` covering all of them. Skipped tests count as
// failures (a test never skips silently); so does a failed prerequisite, which the summary names as such,
// with the installer's last lines, apart from failed tests. Test files are discovered
// (scripts/test-files.mjs), and a *.test.ts that no suite runs is a failure too.
//   --only unit,protocol,lint,e2e   run only these suites (prerequisites and build still run)
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { orphanTestFiles, suiteFiles } from './test-files.mjs';

const root = path.resolve(import.meta.dirname, '..');
process.chdir(root);
const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1].split(',') : undefined;
const wants = (suite) => !only || only.includes(suite);
const resultsDir = path.join(root, '.test-results');
fs.mkdirSync(resultsDir, { recursive: true });
const TAIL_LINES = 25;

let passed = 0;
let failed = 0;
const prerequisiteProblems = [];
const problems = [];

/** Runs a command with its output streamed through, keeping the last lines for the summary. */
function run(cmd, cmdArgs, opts = {}) {
  console.log(`\n$ ${cmd} ${cmdArgs.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    let tail = '';
    let stdout = '';
    const keep = (chunk) => { tail = (tail + chunk).slice(-20_000); };
    child.stdout.on('data', (c) => { process.stdout.write(c); keep(c.toString()); if (opts.captureStdout) stdout += c; });
    child.stderr.on('data', (c) => { process.stderr.write(c); keep(c.toString()); });
    child.on('error', (err) => resolve({ status: null, signal: String(err.message), tail, stdout }));
    child.on('close', (status, signal) => resolve({ status, signal, tail, stdout }));
  });
}

const lastLines = (text, n = TAIL_LINES) => text.trimEnd().split(/\r?\n/).slice(-n).map((l) => `    | ${l}`).join('\n');

/** A prerequisite is not a test: its failure is counted once and reported apart, with its last lines. */
async function prerequisite(name, cmd, cmdArgs) {
  const r = await run(cmd, cmdArgs);
  if (r.status === 0) return true;
  failed++;
  prerequisiteProblems.push(`${name}: \`${[cmd, ...cmdArgs].join(' ')}\` exited ${r.status ?? r.signal}; its last lines:\n${lastLines(r.tail)}`);
  return false;
}

/** A build step the suites need (type-check, bundles): counted as one check. */
async function step(name, cmd, cmdArgs) {
  const r = await run(cmd, cmdArgs);
  if (r.status === 0) { passed++; return true; }
  failed++;
  problems.push(`${name} failed (exit ${r.status ?? r.signal}):\n${lastLines(r.tail, 15)}`);
  return false;
}

async function nodeTestSuite(name, files) {
  if (files.length === 0) {
    failed++;
    problems.push(`${name}: no test files found`);
    return;
  }
  const out = path.join(resultsDir, `${name}.json`);
  fs.rmSync(out, { force: true });
  await run(process.execPath, [
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

/** ESLint over the project (eslint.config.mjs): one test per linted file, failed when it has an error. */
async function lintSuite() {
  const out = path.join(resultsDir, 'eslint.json');
  fs.rmSync(out, { force: true });
  const r = await run(process.execPath, ['node_modules/eslint/bin/eslint.js', '--format', 'json', '--output-file', out, '.']);
  if (!fs.existsSync(out)) {
    failed++;
    problems.push(`lint: ESLint wrote no results (exit ${r.status ?? r.signal})`);
    return;
  }
  const results = JSON.parse(fs.readFileSync(out, 'utf8'));
  for (const file of results) {
    const rel = path.relative(root, file.filePath);
    if (file.errorCount === 0) {
      passed++;
      continue;
    }
    failed++;
    const first = file.messages.filter((m) => m.severity === 2).slice(0, 3).map((m) => `${m.line}:${m.column} ${m.message} (${m.ruleId ?? 'parse'})`);
    problems.push(`lint: ${rel}: ${file.errorCount} error(s): ${first.join('; ')}`);
    console.log(`✖ lint ${rel}\n  ${first.join('\n  ')}`);
  }
  console.log(`lint: ${results.length} files, ${results.filter((f) => f.errorCount > 0).length} with errors`);
}

async function e2eSuite() {
  const r = await run(process.execPath, ['test/e2e/run-e2e.mjs'], { captureStdout: true });
  const m = [...r.stdout.matchAll(/^(\d+) passed, (\d+) failed$/gm)].pop();
  if (m) {
    passed += Number(m[1]);
    failed += Number(m[2]);
  }
  if (!m || r.status !== 0) {
    if (!m || Number(m[2]) === 0) failed++;
    problems.push(`e2e: exit ${r.status ?? r.signal}${m ? '' : ', no summary line'}`);
  }
}

const t0 = Date.now();
// 1. What the tests need, installed idempotently (or a clear failure). Go first: the unit suite needs it.
const goReady = await prerequisite('Go 1.23 (gofmt/go vet of fixed code)', 'bash', ['scripts/ensure-test-deps.sh']);
const e2eReady = wants('e2e')
  ? await prerequisite('end-to-end editor (Chromium, Node 24, code-server)', 'bash', ['scripts/e2e-setup.sh'])
  : false;
// 2. Every test file belongs to a suite.
const suites = suiteFiles(root);
const orphans = orphanTestFiles(root);
if (orphans.length) {
  failed += orphans.length;
  problems.push(`test files that no suite runs (move them or teach scripts/test-files.mjs): ${orphans.join(', ')}`);
}
// 3. Type-check and build the bundles the protocol and end-to-end tests run.
await step('type-check', process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.']);
const built = await step('build', process.execPath, ['scripts/build.mjs']);
// 4. Suites. Without Go the unit suite still runs: the golden checks that need it fail, saying so.
if (!goReady) problems.push('unit: Go 1.23 is missing, so the golden type-checks fail (see the prerequisite above)');
if (wants('unit')) await nodeTestSuite('unit', suites.unit);
if (wants('protocol')) await nodeTestSuite('protocol', suites.protocol);
if (wants('lint')) await lintSuite();
if (wants('e2e')) {
  if (!e2eReady) problems.push('e2e: not run, its prerequisite failed (counted once, above)');
  else if (!built) problems.push('e2e: not run, the build failed');
  else await e2eSuite();
}

console.log(`\nTook ${Math.round((Date.now() - t0) / 1000)} s.`);
if (prerequisiteProblems.length) {
  console.log(`\nPrerequisites that failed to install (not test failures; each counted once below):\n- ${prerequisiteProblems.join('\n- ')}`);
}
if (problems.length) console.log(`\nProblems:\n- ${problems.join('\n- ')}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
