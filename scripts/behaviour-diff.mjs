#!/usr/bin/env node
// `node scripts/behaviour-diff.mjs [--base REF] [--targets shop,fixtures,stdlib] [--stdlib-fix] [--keep]`
//
// Proves that a refactoring changes no behaviour: builds the CLI at git REF
// (default `main`) in a temporary worktree (node_modules borrowed through a
// symlink) and from the current working tree, runs both on the same inputs
// and diffs what they print:
//   - `audit --format json --fail-on none --jobs 1` (findings, messages,
//     severities, fix titles, notices), with durations normalised;
//   - `audit --fix-dry-run --fail-on none --jobs 1` (the edits of every safe fix;
//     on the standard library only with --stdlib-fix, it is slow).
// Inputs: examples/shop, every folder under test/fixtures/<domain>/ (one run,
// each folder its own audit root), and the
// Go 1.23 standard library (/usr/lib/go-1.23/src, installed by
// scripts/ensure-test-deps.sh; override with SHIPSHAPE_GO_SRC).
// Exit 0 when every output is identical, 1 on a difference (the first lines
// of each differing output are printed), 2 on a setup error.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const repo = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    base: { type: 'string', default: 'main' },
    targets: { type: 'string', default: 'shop,fixtures,stdlib' },
    keep: { type: 'boolean', default: false },
    'stdlib-fix': { type: 'boolean', default: false },
  },
});
const goSrc = process.env.SHIPSHAPE_GO_SRC ?? '/usr/lib/go-1.23/src';

function fail(message) {
  console.error(`behaviour-diff: ${message}`);
  process.exit(2);
}

function targetsOf(names) {
  const out = [];
  for (const name of names) {
    if (name === 'shop') out.push({ name: 'examples/shop', dir: path.join(repo, 'examples/shop'), paths: ['.'] });
    else if (name === 'fixtures') {
      // One run, each fixture folder its own audit root (as when audited alone: lookups stop at the root).
      const root = path.join(repo, 'test/fixtures');
      const paths = [];
      for (const domain of fs.readdirSync(root).sort()) {
        for (const rule of fs.readdirSync(path.join(root, domain)).sort()) paths.push(`${domain}/${rule}`);
      }
      out.push({ name: `test/fixtures (${paths.length} folders)`, dir: root, paths });
    } else if (name === 'stdlib') {
      if (!fs.existsSync(goSrc)) fail(`${goSrc} is missing: run scripts/ensure-test-deps.sh (Go 1.23) or set SHIPSHAPE_GO_SRC`);
      // The fix dry-run re-audits every fixed file: hours on a shared 2-core machine, so only on request.
      out.push({ name: goSrc, dir: goSrc, paths: ['.'], fixDryRun: values['stdlib-fix'] });
    } else fail(`unknown target ${name} (shop, fixtures, stdlib)`);
  }
  return out;
}

/** Zeroes every duration so two runs of the same analysis print the same JSON. */
function normalise(value) {
  if (Array.isArray(value)) return value.map(normalise);
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = /duration|timing|elapsed|Ms$/i.test(k) && typeof v === 'number' ? 0 : normalise(v);
    return out;
  }
  return value;
}

function runCli(checkout, target, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(checkout, 'bin/shipshape.js'), 'audit', ...target.paths, '--fail-on', 'none', '--jobs', '1', ...args], {
      cwd: target.dir, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      const stdout = Buffer.concat(out).toString('utf8');
      resolve(code === 0 ? stdout : `exit ${code}\n${Buffer.concat(err).toString('utf8')}\n${stdout}`);
    });
  });
}

async function outputsOf(checkout, target) {
  const json = await runCli(checkout, target, ['--format', 'json']);
  let report;
  try {
    report = JSON.stringify(normalise(JSON.parse(json)), null, 1);
  } catch {
    report = json;
  }
  if (target.fixDryRun === false) return { 'audit.json': report };
  // --fix-dry-run ends with the usual text summary, whose duration varies.
  const dryRun = (await runCli(checkout, target, ['--fix-dry-run'])).replace(/\d+(\.\d+)?(ms|s)\b/g, '<t>');
  return { 'audit.json': report, 'fix-dry-run.diff': dryRun };
}

function firstDifferences(a, b, max = 12) {
  const la = a.split('\n');
  const lb = b.split('\n');
  let i = 0;
  while (i < la.length && i < lb.length && la[i] === lb[i]) i++;
  const lines = [`  first difference at line ${i + 1}:`];
  for (let k = Math.max(0, i - 3); k < Math.min(Math.max(la.length, lb.length), i + max); k++) {
    if (la[k] === lb[k]) lines.push(`    ${la[k] ?? ''}`);
    else {
      if (k < la.length) lines.push(`  - ${la[k]}`);
      if (k < lb.length) lines.push(`  + ${lb[k]}`);
    }
  }
  return lines.join('\n');
}

function build(checkout) {
  execFileSync(process.execPath, [path.join(checkout, 'scripts/build.mjs')], { cwd: checkout, stdio: ['ignore', 'ignore', 'inherit'] });
}

const targets = targetsOf(values.targets.split(',').map((s) => s.trim()).filter(Boolean));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-bdiff-'));
const baseDir = path.join(tmp, 'base');
let exitCode = 0;
try {
  execFileSync('git', ['worktree', 'add', '--detach', baseDir, values.base], { cwd: repo, stdio: 'ignore' });
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(baseDir, 'node_modules'), 'dir');
  console.log(`building ${values.base} and the working tree...`);
  build(baseDir);
  build(repo);
  // Run the working tree's build from a copy: a rebuild while the diff runs (tests) must not change it.
  const headDir = path.join(tmp, 'head');
  fs.mkdirSync(headDir);
  fs.cpSync(path.join(repo, 'dist'), path.join(headDir, 'dist'), { recursive: true });
  fs.cpSync(path.join(repo, 'bin'), path.join(headDir, 'bin'), { recursive: true });
  fs.copyFileSync(path.join(repo, 'package.json'), path.join(headDir, 'package.json'));
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(headDir, 'node_modules'), 'dir');
  let differing = 0;
  for (const target of targets) {
    // Both builds at once (two cores): the outputs do not depend on timing.
    const [before, after] = await Promise.all([outputsOf(baseDir, target), outputsOf(headDir, target)]);
    for (const kind of Object.keys(before)) {
      if (before[kind] === after[kind]) continue;
      differing++;
      const out = path.join(tmp, 'out', target.name.replace(/[^\w.-]+/g, '_'));
      fs.mkdirSync(out, { recursive: true });
      fs.writeFileSync(path.join(out, `before.${kind}`), before[kind]);
      fs.writeFileSync(path.join(out, `after.${kind}`), after[kind]);
      console.log(`DIFF ${target.name} ${kind} (both kept in ${out})\n${firstDifferences(before[kind], after[kind])}`);
    }
    const findings = (before['audit.json'].match(/"ruleId"/g) ?? []).length;
    console.log(`  ${target.name}: ${findings} findings`);
  }
  console.log(differing === 0 ? `identical: ${targets.length} targets at ${values.base} and the working tree` : `${differing} outputs differ`);
  exitCode = differing === 0 ? 0 : 1;
  if (differing > 0) values.keep = true;
} finally {
  spawnSync('git', ['worktree', 'remove', '--force', baseDir], { cwd: repo, stdio: 'ignore' });
  if (!values.keep) fs.rmSync(tmp, { recursive: true, force: true });
  else console.log(`kept ${tmp}`);
}
process.exit(exitCode);
