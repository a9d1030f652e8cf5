// action.yml and .pre-commit-hooks.yaml cannot run here (no GitHub runner, no pre-commit): they are
// checked against their documented structure, and the commands their steps run are run, in order,
// as the runner / pre-commit would, with the package packed from this repository.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Sarif from 'sarif';
import { parse as parseYaml } from 'yaml';
import { REPO } from '../support/harness';
import { cleanEnv, copyFromRepo, installGlobally, installedPaths, packRepository, runInstalled, tempDir, type Packed } from '../support/package';
import { runAction, type ActionRun, type ActionSpec } from '../support/action-runner';

const manifest = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string; repository: { url: string }; scripts: Record<string, string> };
const action = parseYaml(fs.readFileSync(path.join(REPO, 'action.yml'), 'utf8')) as ActionSpec;
const hooks = parseYaml(fs.readFileSync(path.join(REPO, '.pre-commit-hooks.yaml'), 'utf8')) as unknown;
let packed: Packed;
let work: string;

before(() => {
  packed = packRepository();
  work = tempDir('shipshape-ci-');
});
after(() => {
  for (const dir of [packed.dir, work]) fs.rmSync(dir, { recursive: true, force: true });
});

// https://docs.github.com/en/actions/sharing-automations/creating-actions/metadata-syntax-for-github-actions
test('action.yml: name, description, branding, inputs with descriptions, outputs with values, a composite of valid steps', () => {
  assert.equal(typeof action.name, 'string');
  assert.equal(typeof action.description, 'string');
  assert.ok(action.description.length <= 125, 'the Marketplace shows at most 125 characters');
  assert.ok(['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark'].includes(action.branding?.color ?? ''));
  const inputs = Object.keys(action.inputs ?? {});
  assert.deepEqual(['paths', 'fail-on', 'args'].filter((i) => !inputs.includes(i)), [], 'inputs for paths, fail level and extra flags');
  for (const [id, input] of Object.entries(action.inputs ?? {})) {
    assert.match(id, /^[A-Za-z_][A-Za-z0-9_-]*$/, id);
    assert.equal(typeof input.description, 'string', `${id}: description`);
    assert.ok(input.default === undefined || typeof input.default === 'string', `${id}: a string default`);
  }
  for (const [id, output] of Object.entries(action.outputs ?? {})) {
    assert.equal(typeof output.description, 'string', `${id}: description`);
    assert.match(output.value ?? '', /^\$\{\{ steps\.[\w-]+\.outputs\.[\w-]+ \}\}$/, `${id}: a composite output names a step output`);
  }
  assert.equal(action.runs.using, 'composite');
  const allowed = new Set(['name', 'id', 'if', 'env', 'run', 'shell', 'working-directory', 'uses', 'with', 'continue-on-error']);
  const ids = new Set<string>();
  for (const step of action.runs.steps) {
    const label = step.name ?? step.id ?? '?';
    assert.deepEqual(Object.keys(step).filter((k) => !allowed.has(k)), [], `${label}: only keys composite steps take`);
    assert.ok((step.run === undefined) !== (step.uses === undefined), `${label}: run or uses`);
    if (step.run !== undefined) {
      assert.ok(['bash', 'sh', 'pwsh', 'python'].includes(step.shell ?? ''), `${label}: a run step of a composite action names its shell`);
      assert.ok(!step.run.includes('${{'), `${label}: inputs reach the script through env, never pasted in (script injection)`);
    } else {
      assert.match(step.uses ?? '', /^[\w.-]+\/[\w./-]+@v\d+$/, `${label}: an action pinned to a major version`);
    }
    if (step.id) ids.add(step.id);
    const text = JSON.stringify(step);
    for (const m of text.matchAll(/inputs\.([\w-]+)/g)) assert.ok(inputs.includes(m[1]), `${label}: input ${m[1]} exists`);
    for (const m of text.matchAll(/steps\.([\w-]+)\.outputs/g)) assert.ok(ids.has(m[1]) && m[1] !== step.id, `${label}: step ${m[1]} runs before`);
  }
  const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
  assert.ok(upload, 'uploads SARIF to code scanning');
});

function auditStep(run: ActionRun): ActionRun['steps'][number] {
  const step = run.steps.find((s) => s.id === 'audit');
  assert.ok(step);
  return step;
}

test('action.yml run: install, audit a folder, SARIF with https help links uploaded, the step fails on findings at fail-on', () => {
  const ws = path.join(work, 'workspace-a');
  copyFromRepo('examples/shop', path.join(ws, 'shop'));
  const run = runAction(action, { actionPath: REPO, workspace: ws, temp: path.join(work, 'runner-a'), inputs: { paths: 'shop', 'fail-on': 'warning', version: packed.tarball } });
  assert.deepEqual(run.steps.map((s) => [s.name, s.status]), [
    ['Install Shipshape', 'success'], ['Audit', 'success'], ['Upload SARIF to code scanning', 'success'], ['Fail on findings', 'failure'],
  ], run.log);
  assert.equal(run.exitCode, 1);
  assert.equal(run.outputs['exit-code'], '1');
  assert.match(auditStep(run).stdout, /go\/unclosed-body/, 'findings in the job log');
  const uploaded = run.steps[2].with ?? {};
  assert.equal(uploaded.sarif_file, run.outputs['sarif-file']);
  assert.equal(uploaded.category, 'shipshape');
  const log = JSON.parse(fs.readFileSync(uploaded.sarif_file, 'utf8')) as Sarif.Log;
  const repo = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
  const rules = log.runs[0].tool.driver.rules ?? [];
  assert.ok(rules.every((r) => r.helpUri === `${repo}/blob/v${manifest.version}/docs/rules/${r.id}.md`));
  assert.ok((log.runs[0].results ?? []).some((r) => r.level === 'warning'), 'every finding, not only those failing the run');
  assert.ok((log.runs[0].results ?? []).every((r) => !(r.locations?.[0].physicalLocation?.artifactLocation?.uri ?? '').startsWith('/')), 'paths relative to the workspace');
});

test('action.yml run: several paths on lines, extra flags, fail-on none, no upload', () => {
  const ws = path.join(work, 'workspace-b');
  copyFromRepo('examples/shop', path.join(ws, 'shop'));
  const run = runAction(action, {
    actionPath: REPO, workspace: ws, temp: path.join(work, 'runner-b'),
    inputs: { paths: 'shop/Dockerfile\nshop/k8s\n', 'fail-on': 'none', args: '--no-inline-config --jobs 1', version: packed.tarball, 'upload-sarif': 'false' },
  });
  assert.deepEqual(run.steps.map((s) => s.status), ['success', 'success', 'skipped', 'skipped'], run.log);
  assert.equal(run.exitCode, 0);
  const results = (JSON.parse(fs.readFileSync(run.outputs['sarif-file'], 'utf8')) as Sarif.Log).runs[0].results ?? [];
  const files = new Set(results.map((r) => r.locations?.[0].physicalLocation?.artifactLocation?.uri ?? ''));
  assert.ok([...files].every((f) => f === 'shop/Dockerfile' || f.startsWith('shop/k8s/')), [...files].join(', '));
  assert.ok(files.has('shop/Dockerfile') && [...files].some((f) => f.startsWith('shop/k8s/')));
});

test('action.yml run: a usage error fails the audit step with 2; nothing is uploaded', () => {
  const ws = path.join(work, 'workspace-c');
  copyFromRepo('examples/shop', path.join(ws, 'shop'));
  const run = runAction(action, { actionPath: REPO, workspace: ws, temp: path.join(work, 'runner-c'), inputs: { paths: 'shop', args: '--no-such-flag', version: packed.tarball } });
  assert.deepEqual(run.steps.map((s) => s.status), ['success', 'failure', 'skipped', 'skipped'], run.log);
  assert.equal(run.exitCode, 2);
});

interface Hook {
  id: string;
  name: string;
  entry: string;
  language: string;
  types_or?: string[];
  files?: string;
  require_serial?: boolean;
  minimum_pre_commit_version?: string;
  [key: string]: unknown;
}

/** identify's tags for the files a hook's `types_or` names (pre-commit filters staged files with them). */
function matchesTypes(file: string, types: readonly string[]): boolean {
  const base = path.basename(file);
  const tags = new Set<string>();
  if (base.endsWith('.go')) tags.add('go');
  if (base === 'Dockerfile' || base.endsWith('.dockerfile')) tags.add('dockerfile');
  if (/\.ya?ml$/.test(base)) tags.add('yaml');
  return types.some((t) => tags.has(t));
}

// https://pre-commit.com/#new-hooks
test('.pre-commit-hooks.yaml: hooks with id, name, entry, language and file types; the commands run as pre-commit runs them', () => {
  assert.ok(Array.isArray(hooks));
  const list = hooks as Hook[];
  assert.deepEqual(list.map((h) => [h.id, h.language]), [['shipshape', 'node'], ['shipshape-system', 'system']]);
  const known = new Set(['id', 'name', 'entry', 'language', 'files', 'exclude', 'types', 'types_or', 'exclude_types', 'always_run', 'fail_fast', 'verbose',
    'pass_filenames', 'require_serial', 'description', 'language_version', 'minimum_pre_commit_version', 'args', 'stages', 'additional_dependencies']);
  for (const hook of list) {
    for (const key of ['id', 'name', 'entry', 'language']) assert.equal(typeof hook[key], 'string', `${hook.id}: ${key}`);
    assert.deepEqual(Object.keys(hook).filter((k) => !known.has(k)), [], `${hook.id}: only documented keys`);
    assert.deepEqual(hook.types_or, ['go', 'dockerfile', 'yaml']);
    assert.equal(hook.require_serial, true);
    assert.equal(hook.entry, 'shipshape audit');
  }
  // language: node — pre-commit runs `npm install` then `npm pack` in the repository (prepack builds
  // dist/), then `npm install -g <tarball>` into the hook's environment: what packRepository and
  // installGlobally do here.
  assert.match(manifest.scripts.prepack, /scripts\/build\.mjs/);
  const prefix = tempDir('shipshape-precommit-env-');
  try {
    installGlobally(packed.tarball, prefix);
    const { bin } = installedPaths(prefix);
    const repo = copyFromRepo('examples/shop', path.join(work, 'precommit-repo'));
    const staged = listFiles(repo).filter((f) => matchesTypes(f, list[0].types_or ?? []));
    assert.ok(staged.includes('Dockerfile') && staged.includes('main.go') && staged.includes('k8s/api.yaml'));
    for (const hook of list) {
      const [command, ...args] = hook.entry.split(' ');
      assert.equal(command, 'shipshape');
      const r = runInstalled(bin, [...args, ...staged], repo);
      assert.equal(r.code, 1, `${hook.id}: findings fail the commit\n${r.stderr}`);
      assert.match(r.stdout, /docker\/|k8s\/|go\//);
      // A commit that stages only a clean Go file passes. (go.mod is no `go` file to pre-commit's identify,
      // so it is never passed; named alone, it would be "nothing to audit", exit 2.)
      fs.writeFileSync(path.join(repo, 'version.go'), 'package main\n\n// Version is set at build time.\nvar Version = "dev"\n');
      const clean = runInstalled(bin, [...args, 'version.go'], repo);
      assert.equal(clean.code, 0, `${hook.id}: nothing to report passes\n${clean.stdout}${clean.stderr}`);
    }
  } finally {
    fs.rmSync(prefix, { recursive: true, force: true });
  }
});

function listFiles(dir: string, rel = ''): string[] {
  return fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const p = rel ? `${rel}/${e.name}` : e.name;
    return e.isDirectory() ? listFiles(dir, p) : [p];
  });
}

test('docs/ci.md: its GitHub, GitLab and pre-commit snippets parse and name what exists', () => {
  const doc = fs.readFileSync(path.join(REPO, 'docs/ci.md'), 'utf8');
  const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parseYaml(m[1]) as Record<string, unknown>);
  assert.ok(blocks.length >= 4);
  const repoPath = new URL(manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '')).pathname.slice(1);
  const json = blocks.map((b) => JSON.stringify(b));
  const uses = json.flatMap((j) => [...j.matchAll(/"uses":"([^"]+)"/g)].map((m) => m[1])).filter((u) => u.startsWith(`${repoPath}@`));
  assert.deepEqual(uses, [`${repoPath}@v${manifest.version}`], 'the action, pinned to the released tag');
  const withKeys = blocks.flatMap((b) => JSON.stringify(b).includes(`${repoPath}@`) ? Object.keys(stepUsing(b, repoPath)?.with ?? {}) : []);
  assert.ok(withKeys.length > 0 && withKeys.every((k) => Object.keys(action.inputs ?? {}).includes(k)), `inputs ${withKeys.join(', ')} exist`);
  const gitlab = blocks.find((b) => 'shipshape' in b && typeof b.shipshape === 'object' && b.shipshape !== null && 'script' in b.shipshape);
  assert.ok(gitlab, 'a GitLab CI job');
  const precommit = blocks.find((b) => Array.isArray(b.repos)) as { repos: { repo: string; rev: string; hooks: { id: string }[] }[] } | undefined;
  assert.ok(precommit, 'a pre-commit config');
  assert.equal(precommit.repos[0].rev, `v${manifest.version}`);
  const hookIds = (hooks as Hook[]).map((h) => h.id);
  assert.ok(precommit.repos[0].hooks.every((h) => hookIds.includes(h.id)));
  // The commands of the snippets' scripts are shipshape commands whose flags exist.
  const help = spawnSync(process.execPath, [path.join(REPO, 'dist/cli.js'), 'audit', '--help'], { encoding: 'utf8', env: cleanEnv() }).stdout;
  for (const line of doc.matchAll(/(?:^|\s)shipshape(?:@[\d.]+)? audit ([^\n"]*)/g)) {
    for (const flag of line[1].match(/--[a-z-]+/g) ?? []) assert.ok(help.includes(flag), `${flag} is a flag of shipshape audit`);
  }
});

function stepUsing(workflow: Record<string, unknown>, repoPath: string): { with?: Record<string, unknown> } | undefined {
  const jobs = (workflow.jobs ?? {}) as Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }>;
  return Object.values(jobs).flatMap((j) => j.steps ?? []).find((s) => s.uses?.startsWith(`${repoPath}@`));
}
