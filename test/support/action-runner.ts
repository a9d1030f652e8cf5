// A small stand-in for the GitHub Actions runner, enough to run a composite action's steps here:
// `${{ }}` expressions over inputs, github.action_path, runner.temp and earlier steps' outputs;
// `if:` with always(), ==, != and && (an `if` without a status function implies success());
// `run` steps through `bash --noprofile --norc -eo pipefail` (what `shell: bash` runs) with
// GITHUB_OUTPUT and GITHUB_PATH; `uses` steps are recorded with their resolved `with`, not run.
// Anything else in an expression throws, so the action cannot silently outgrow this runner.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanEnv } from './package';

export interface ActionStep {
  name?: string;
  id?: string;
  if?: string;
  run?: string;
  shell?: string;
  uses?: string;
  with?: Record<string, string | number | boolean>;
  env?: Record<string, string | number | boolean>;
  'working-directory'?: string;
}

export interface ActionSpec {
  name: string;
  description: string;
  branding?: { icon?: string; color?: string };
  inputs?: Record<string, { description?: string; required?: boolean; default?: string }>;
  outputs?: Record<string, { description?: string; value?: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export interface StepResult {
  name: string;
  id?: string;
  status: 'success' | 'failure' | 'skipped';
  exitCode?: number | null;
  stdout: string;
  stderr: string;
  with?: Record<string, string>;
}

export interface ActionRun {
  steps: StepResult[];
  /** The action's exit code: that of the first failing step, else 0. */
  exitCode: number;
  outputs: Record<string, string>;
  /** Every step's output, for assertion messages. */
  log: string;
}

export interface RunOptions {
  actionPath: string;
  workspace: string;
  temp: string;
  inputs: Record<string, string>;
}

interface Context {
  inputs: Record<string, string>;
  github: Record<string, string>;
  runner: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string> }>;
  failed: boolean;
}

function lookup(ref: string, ctx: Context): string {
  const parts = ref.split('.');
  if (parts[0] === 'inputs' && parts.length === 2) return ctx.inputs[parts[1]] ?? '';
  if ((parts[0] === 'github' || parts[0] === 'runner') && parts.length === 2) {
    const value = ctx[parts[0]][parts[1]] as string | undefined;
    if (value === undefined) throw new Error(`unsupported context ${ref}`);
    return value;
  }
  if (parts[0] === 'steps' && parts[2] === 'outputs' && parts.length === 4) {
    const step = ctx.steps[parts[1]] as { outputs: Record<string, string> } | undefined;
    return step && Object.hasOwn(step.outputs, parts[3]) ? step.outputs[parts[3]] : '';
  }
  throw new Error(`unsupported expression ${ref}`);
}

function evaluate(expr: string, ctx: Context): string | boolean {
  const terms = expr.split('&&').map((t) => t.trim());
  if (terms.length > 1) return terms.every((t) => truthy(evaluate(t, ctx)));
  const t = terms[0];
  if (t === 'always()') return true;
  if (t === 'success()') return !ctx.failed;
  if (t === 'failure()') return ctx.failed;
  const cmp = /^([\w.-]+)\s*(==|!=)\s*'([^']*)'$/.exec(t);
  if (cmp) return (lookup(cmp[1], ctx) === cmp[3]) === (cmp[2] === '==');
  const not = /^!([\w.-]+)$/.exec(t);
  if (not) return !truthy(lookup(not[1], ctx));
  if (/^[\w.-]+$/.test(t)) return lookup(t, ctx);
  throw new Error(`unsupported expression ${t}`);
}

function truthy(v: string | boolean): boolean {
  return typeof v === 'boolean' ? v : v !== '';
}

function interpolate(text: string, ctx: Context): string {
  return text.replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_, expr: string) => String(evaluate(expr, ctx)));
}

function shouldRun(step: ActionStep, ctx: Context): boolean {
  if (step.if === undefined) return !ctx.failed;
  const expr = step.if.replace(/^\$\{\{\s*/, '').replace(/\s*\}\}$/, '');
  const hasStatus = /\b(always|success|failure|cancelled)\(\)/.test(expr);
  return (hasStatus || !ctx.failed) && truthy(evaluate(expr, ctx));
}

function readOutputs(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : [];
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([\w-]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2], i + 1);
      out[heredoc[1]] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const eq = lines[i].indexOf('=');
    if (eq > 0) out[lines[i].slice(0, eq)] = lines[i].slice(eq + 1);
  }
  return out;
}

export function runAction(action: ActionSpec, options: RunOptions): ActionRun {
  fs.mkdirSync(options.temp, { recursive: true });
  fs.mkdirSync(options.workspace, { recursive: true });
  const inputs: Record<string, string> = {};
  for (const [id, spec] of Object.entries(action.inputs ?? {})) {
    const given = options.inputs[id] as string | undefined;
    inputs[id] = given ?? spec.default ?? '';
  }
  for (const id of Object.keys(options.inputs)) if (!(id in inputs)) throw new Error(`the action has no input ${id}`);
  const ctx: Context = {
    inputs, github: { action_path: options.actionPath, workspace: options.workspace }, runner: { temp: options.temp }, steps: {}, failed: false,
  };
  const extraPath: string[] = [];
  const results: StepResult[] = [];
  let exitCode = 0;
  action.runs.steps.forEach((step, index) => {
    const name = step.name ?? step.id ?? `step ${index}`;
    if (!shouldRun(step, ctx)) {
      results.push({ name, id: step.id, status: 'skipped', stdout: '', stderr: '' });
      return;
    }
    if (step.uses !== undefined) {
      const resolved = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)]));
      results.push({ name, id: step.id, status: 'success', stdout: '', stderr: '', with: resolved });
      return;
    }
    if (step.shell !== 'bash') throw new Error(`${name}: this runner only runs shell: bash`);
    const outputFile = path.join(options.temp, `output-${index}`);
    const pathFile = path.join(options.temp, `path-${index}`);
    const script = path.join(options.temp, `step-${index}.sh`);
    fs.writeFileSync(script, step.run ?? '');
    const env = cleanEnv({
      ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(String(v), ctx)])),
      PATH: [...extraPath, path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter),
      GITHUB_OUTPUT: outputFile, GITHUB_PATH: pathFile, GITHUB_WORKSPACE: options.workspace, RUNNER_TEMP: options.temp,
    });
    const cwd = path.resolve(options.workspace, interpolate(step['working-directory'] ?? '.', ctx));
    const r = spawnSync('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd, env, encoding: 'utf8', timeout: 600_000, maxBuffer: 64 * 1024 * 1024 });
    if (step.id) ctx.steps[step.id] = { outputs: readOutputs(outputFile) };
    if (fs.existsSync(pathFile)) extraPath.unshift(...fs.readFileSync(pathFile, 'utf8').split('\n').filter(Boolean).reverse());
    const ok = r.status === 0;
    results.push({ name, id: step.id, status: ok ? 'success' : 'failure', exitCode: r.status, stdout: r.stdout, stderr: r.stderr });
    if (!ok && !ctx.failed) {
      ctx.failed = true;
      exitCode = r.status ?? 1;
    }
  });
  const outputs = Object.fromEntries(Object.entries(action.outputs ?? {}).map(([k, v]) => [k, interpolate(v.value ?? '', ctx)]));
  const log = results.map((s) => `--- ${s.name}: ${s.status} (${s.exitCode ?? ''})\n${s.stdout}${s.stderr}`).join('\n');
  return { steps: results, exitCode, outputs, log };
}
