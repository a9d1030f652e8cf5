// Keystroke latency: seeded edits of a 5,000-line Go file, each analysed
// incrementally (tree.edit + re-parse, declaration-scoped rules re-run only
// where an edit can change their result) and, on a sample, from scratch. The
// edits are what typing produces: characters typed and erased inside bodies,
// declarations added and removed, imports and struct fields edited. Each run
// is repeated (a fresh engine each time): figures are the median of the runs
// and their spread, with the load average beside them (shared machines), and the
// process CPU time per edit (less sensitive to other processes than wall time).
import * as os from 'node:os';
import { Engine, type FileAnalysis } from '../../server/src/engine/analyze';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { DiskFileSource } from '../../server/src/engine/disk';
import { applyChanges, type TextChange } from '../../server/src/engine/incremental';
import { RULES } from '../../server/src/rules/index';
import { largeGoFile, rng } from './generate';

interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

export interface KeystrokeResult {
  lines: number;
  edits: number;
  runs: number;
  /** Median over the runs of each figure; `spread` holds each figure's [min, max] over the runs. */
  incremental: Percentiles & { spread: Record<keyof Percentiles, [number, number]> };
  /** Process CPU time (user + system) of each incremental edit, as `incremental`. */
  cpu: Percentiles & { spread: Record<keyof Percentiles, [number, number]> };
  /** From scratch, on every `scratchEvery`-th edit. */
  scratch: Percentiles;
  scratchEvery: number;
  /** Edits per kind in one run. */
  kinds: Record<string, number>;
  /** Incremental figures per kind of edit, over all runs. */
  byKind: Record<string, Percentiles>;
  findings: number;
  /** 1-minute load average before and after the runs. */
  load: [number, number];
  /** 1-minute load average at the start of each run. */
  loadPerRun: number[];
}

export function percentiles(xs: number[]): Percentiles {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { p50: at(0.5), p99: at(0.99), max: s[s.length - 1] };
}

const DECLS = [
  'func benchAdded(w http.ResponseWriter, r *http.Request) {\n\tresp, err := http.Get("https://svc/x")\n\tif err != nil {\n\t\treturn\n\t}\n\tdefer resp.Body.Close()\n}\n\n',
  'type BenchAdded struct {\n\tID   int64\n\tData [512]byte\n}\n\n',
  'var benchClient = &http.Client{}\n\n',
];
const IMPORTS = ['\t"errors"\n', '\t"sync"\n', '\tsqlx "database/sql"\n'];
const FIELDS = ['\tBlob      [4096]byte\n', '\tOwner     string\n', '\tdb        *sql.DB\n'];
const TYPED = 'xe(r)';

/** Offsets just after `\n\t` (inside a body), `\nfunc ` (a declaration's start), `struct {\n`. */
function offsets(text: string, needle: string, shift: number): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) out.push(i + shift);
  return out;
}

/**
 * Seeded edits in pairs (an edit, then the edit that undoes it), so that the
 * file stays the same size: 70 % one character typed then erased in a body,
 * 10 % a declaration added then removed, 10 % an import added then removed,
 * 10 % a struct field added then removed.
 */
export function seededEdits(text: string, count: number, seed: number, kinds?: readonly string[]): { kind: string; changes: TextChange[] }[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const out: { kind: string; changes: TextChange[] }[] = [];
  const bodies = offsets(text, '\n\t', 2);
  const decls = offsets(text, '\nfunc ', 1);
  const structs = offsets(text, 'struct {\n', 'struct {\n'.length);
  const importAt = text.indexOf('import (\n') + 'import (\n'.length;
  while (out.length < count) {
    const roll = r();
    let kind: string;
    let insert: TextChange;
    if (roll < 0.7) {
      kind = 'type';
      const at = pick(bodies);
      insert = { start: at, end: at, text: TYPED[Math.floor(r() * TYPED.length)] };
    } else if (roll < 0.8) {
      kind = 'declaration';
      const at = pick(decls);
      insert = { start: at, end: at, text: pick(DECLS) };
    } else if (roll < 0.9) {
      kind = 'import';
      insert = { start: importAt, end: importAt, text: pick(IMPORTS) };
    } else {
      kind = 'field';
      const at = pick(structs);
      insert = { start: at, end: at, text: pick(FIELDS) };
    }
    // Drawn whatever the filter, so that a filtered run's edits are the unfiltered run's of those kinds.
    if (kinds && !kinds.includes(kind)) continue;
    out.push({ kind, changes: [insert] });
    out.push({ kind, changes: [{ start: insert.start, end: insert.start + insert.text.length, text: '' }] });
  }
  return out.slice(0, count);
}

interface OneRun {
  incremental: number[];
  cpu: number[];
  load: number;
  /** Kind of each edit, aligned with `incremental`. */
  kindOf: string[];
  scratch: number[];
  findings: number;
  kinds: Record<string, number>;
  lines: number;
}

async function runOnce(lines: number, edits: number, seed: number, scratchEvery: number, timings?: Map<string, number>, onlyKinds?: readonly string[]): Promise<OneRun> {
  const engine = await Engine.create(RULES, new DiskFileSource(5 * 1024 * 1024));
  const file = '/bench/ws/shop.go';
  const config = new StaticConfigResolver(RULES, {}, '/bench/ws').forFile(file);
  const options = { config, roots: ['/bench/ws'] };
  let text = largeGoFile(lines);
  const sequence = seededEdits(text, edits, seed, onlyKinds);
  let previous: FileAnalysis = engine.analyze({ path: file, text, version: 0 }, { ...options, keepParsed: true });
  const incremental: number[] = [];
  const cpu: number[] = [];
  const load = os.loadavg()[0];
  const scratch: number[] = [];
  const kinds: Record<string, number> = {};
  const kindOf: string[] = [];
  sequence.forEach(({ kind, changes }, i) => {
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    kindOf.push(kind);
    const next = applyChanges(text, changes);
    const c0 = process.cpuUsage();
    let t0 = performance.now();
    previous = engine.analyze({ path: file, text: next, version: i + 1 }, { ...options, keepParsed: true, previous: { analysis: previous, changes }, timings });
    incremental.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
    if (scratchEvery > 0 && i % scratchEvery === 0) {
      t0 = performance.now();
      engine.analyze({ path: file, text: next }, options);
      scratch.push(performance.now() - t0);
    }
    text = next;
  });
  const findings = previous.findings.length;
  previous.dispose();
  engine.dispose();
  return { incremental, cpu, load, kindOf, scratch, findings, kinds, lines: text.split('\n').length };
}

export async function runKeystrokeBench(lines = 5000, edits = 1000, seed = 9, runs = 3, scratchEvery = 25, kinds?: readonly string[]): Promise<KeystrokeResult> {
  const loadBefore = os.loadavg()[0];
  const timings = process.env.SHIPSHAPE_BENCH_RULES ? new Map<string, number>() : undefined;
  const done: OneRun[] = [];
  for (let i = 0; i < runs; i++) done.push(await runOnce(lines, edits, seed, scratchEvery, timings, kinds));
  if (timings) for (const [id, ms] of [...timings].sort((a, b) => b[1] - a[1])) console.log(`  ${id.padEnd(32)} ${(ms / edits / runs).toFixed(2)} ms/edit`);
  return {
    lines: done[0].lines, edits, runs,
    incremental: medianOfRuns(done.map((d) => percentiles(d.incremental))),
    cpu: medianOfRuns(done.map((d) => percentiles(d.cpu))),
    scratch: percentiles(done.flatMap((d) => d.scratch)),
    scratchEvery,
    kinds: done[0].kinds,
    byKind: Object.fromEntries(Object.keys(done[0].kinds).map((k) => [k, percentiles(done.flatMap((d) => d.incremental.filter((_, i) => d.kindOf[i] === k)))])),
    findings: done[0].findings,
    load: [loadBefore, os.loadavg()[0]],
    loadPerRun: done.map((d) => d.load),
  };
}

/** Each figure as the median of the runs' figures, with its [min, max] over the runs. */
export function medianOfRuns(each: readonly Percentiles[]): Percentiles & { spread: Record<keyof Percentiles, [number, number]> } {
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const of = (k: keyof Percentiles): number[] => each.map((e) => e[k]);
  const spread = (k: keyof Percentiles): [number, number] => [Math.min(...of(k)), Math.max(...of(k))];
  return { p50: median(of('p50')), p99: median(of('p99')), max: median(of('max')), spread: { p50: spread('p50'), p99: spread('p99'), max: spread('max') } };
}

export function formatKeystroke(r: KeystrokeResult): string {
  const f = (x: Percentiles): string => `p50 ${x.p50.toFixed(1)} ms  p99 ${x.p99.toFixed(1)} ms  max ${x.max.toFixed(1)} ms`;
  const sp = (x: KeystrokeResult['incremental'], k: keyof Percentiles): string => `${x.spread[k][0].toFixed(1)}–${x.spread[k][1].toFixed(1)}`;
  const spreads = (x: KeystrokeResult['incremental']): string => `spread p50 ${sp(x, 'p50')}, p99 ${sp(x, 'p99')}, max ${sp(x, 'max')} ms`;
  return [
    `keystroke: ${r.edits} seeded edits (${Object.entries(r.kinds).map(([k, n]) => `${n} ${k}`).join(', ')}) in a ${r.lines}-line Go file (${r.findings} findings), ${r.runs} runs`,
    `  incremental   ${f(r.incremental)}   (median of ${r.runs} runs; ${spreads(r.incremental)})`,
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- absent in the JSON of an older run
    `  CPU per edit  ${r.cpu === undefined ? 'not measured' : `${f(r.cpu)}   (process user+system; ${spreads(r.cpu)})`}`,
    ...Object.entries(r.byKind).map(([k, x]) => `    ${k.padEnd(12)}${f(x)}`),
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- p50 is absent when no from-scratch edit was measured (JSON of an older run)
    `  from scratch  ${r.scratch.p50 === undefined ? 'not measured' : f(r.scratch)}   (every ${r.scratchEvery}th edit)`,
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- p50 is absent when no from-scratch edit was measured (JSON of an older run)
    `  ratio p50 ${r.scratch.p50 === undefined ? '-' : (r.scratch.p50 / r.incremental.p50).toFixed(1)}x   load average ${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)} (1 min; at each run's start ${(r.loadPerRun ?? []).map((l) => l.toFixed(1)).join(', ')})`,
  ].join('\n');
}

if (require.main === module) {
  const arg = (name: string, fallback: number): number => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  // `--kinds type,import` keeps those kinds of edit only; `--scratch-every 0` measures no from-scratch analysis.
  const kindsAt = process.argv.indexOf('--kinds');
  const kinds = kindsAt > 0 ? process.argv[kindsAt + 1].split(',') : undefined;
  runKeystrokeBench(arg('lines', 5000), arg('edits', 1000), arg('seed', 9), arg('runs', 3), arg('scratch-every', 25), kinds).then((r) => { console.log(process.argv.includes('--json') ? JSON.stringify(r) : formatKeystroke(r)); }, (e: unknown) => {
    console.error(e);
    process.exit(2);
  });
}
