// Keystroke latency: one-character edits in a 5,000-line Go file, each analysed
// incrementally (tree.edit + re-parse, declaration-scoped rules re-run only where
// the text changed) and, for comparison, from scratch. Seeded, so runs compare.
import { Engine, type FileAnalysis } from '../../server/src/engine/analyze';
import { StaticConfigResolver } from '../../server/src/engine/config';
import { DiskFileSource } from '../../server/src/engine/disk';
import { applyChanges, type TextChange } from '../../server/src/engine/incremental';
import { RULES } from '../../server/src/rules/index';
import { largeGoFile, rng } from './generate';

export interface KeystrokeResult {
  lines: number;
  edits: number;
  incremental: { p50: number; p99: number; max: number };
  scratch: { p50: number; p99: number; max: number };
  findings: number;
}

function percentiles(xs: number[]): { p50: number; p99: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { p50: at(0.5), p99: at(0.99), max: s[s.length - 1] };
}

/** Edits inside function bodies, as typing does: insert a letter, then delete it again. */
function seededEdits(text: string, count: number, seed: number): TextChange[][] {
  const r = rng(seed);
  const out: TextChange[][] = [];
  let current = text;
  for (let i = 0; i < count; i++) {
    let change: TextChange;
    if (i % 2 === 1) {
      const prev = out[i - 1][0];
      change = { start: prev.start, end: prev.start + 1, text: '' };
    } else {
      // A position just after a tab at the start of a line: inside a function body.
      let at = Math.floor(r() * current.length);
      at = current.indexOf('\n\t', at);
      if (at < 0) at = current.indexOf('\n\t');
      change = { start: at + 2, end: at + 2, text: 'x' };
    }
    out.push([change]);
    current = applyChanges(current, [change]);
  }
  return out;
}

export async function runKeystrokeBench(lines = 5000, edits = 200, seed = 9): Promise<KeystrokeResult> {
  const engine = await Engine.create(RULES, new DiskFileSource(5 * 1024 * 1024));
  const file = '/bench/ws/shop.go';
  const config = new StaticConfigResolver(RULES, {}, '/bench/ws').forFile(file);
  const options = { config, roots: ['/bench/ws'] };
  let text = largeGoFile(lines);
  const sequence = seededEdits(text, edits, seed);
  let previous: FileAnalysis = engine.analyze({ path: file, text, version: 0 }, { ...options, keepParsed: true });
  const incremental: number[] = [];
  const timings = new Map<string, number>();
  const scratch: number[] = [];
  sequence.forEach((changes, i) => {
    const next = applyChanges(text, changes);
    let t0 = performance.now();
    previous = engine.analyze({ path: file, text: next, version: i + 1 }, { ...options, keepParsed: true, previous: { analysis: previous, changes }, timings });
    incremental.push(performance.now() - t0);
    t0 = performance.now();
    engine.analyze({ path: file, text: next }, options);
    scratch.push(performance.now() - t0);
    text = next;
  });
  const findings = previous.findings.length;
  previous.dispose();
  engine.dispose();
  if (process.env.SHIPSHAPE_BENCH_RULES) for (const [id, ms] of [...timings].sort((a, b) => b[1] - a[1])) console.log(`  ${id.padEnd(32)} ${(ms / edits).toFixed(2)} ms/edit`);
  return { lines: text.split('\n').length, edits, incremental: percentiles(incremental), scratch: percentiles(scratch), findings };
}

export function formatKeystroke(r: KeystrokeResult): string {
  const f = (x: { p50: number; p99: number; max: number }): string => `p50 ${x.p50.toFixed(1)} ms  p99 ${x.p99.toFixed(1)} ms  max ${x.max.toFixed(1)} ms`;
  return [
    `keystroke: ${r.edits} one-character edits in a ${r.lines}-line Go file (${r.findings} findings)`,
    `  incremental   ${f(r.incremental)}`,
    `  from scratch  ${f(r.scratch)}`,
    `  ratio p50 ${(r.scratch.p50 / r.incremental.p50).toFixed(1)}x`,
  ].join('\n');
}

if (require.main === module) {
  runKeystrokeBench().then((r) => { console.log(formatKeystroke(r)); }, (e: unknown) => {
    console.error(e);
    process.exit(2);
  });
}
