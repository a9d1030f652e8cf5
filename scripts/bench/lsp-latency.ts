// didChange → publishDiagnostics through a built server, debounce included: the
// keystroke bench's seeded edits (typing in bodies, declarations, imports, struct
// fields) on its 5,000-line Go file, each sent as one didChange and timed until the
// diagnostics of that version arrive. Three runs (a fresh server each); figures are
// the median of the runs with their spread, and the load average beside them.
//   node --import tsx scripts/bench/lsp-latency.ts [--server dist/server.js] [--edits 1000] [--runs 3] [--json]
// Default server: dist/server.js (the production bundle), built afresh from the sources first.
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { LspClient, makeWorkspace } from '../../test/lsp/support/client';
import { SourceText } from '../../server/src/core/source-text';
import { applyChanges } from '../../server/src/engine/incremental';
import { largeGoFile } from './generate';
import { medianOfRuns, percentiles, seededEdits } from './keystroke';

interface Figures {
  p50: number;
  p99: number;
  max: number;
}

async function runOnce(serverJs: string, edits: number, seed: number): Promise<{ roundTrip: number[]; analysed: number[] }> {
  let text = largeGoFile(5000);
  const folder = makeWorkspace({ 'go.mod': 'module example.com/shop\n\ngo 1.22\n', 'shop.go': text });
  const client = await LspClient.start(serverJs, { folder, settings: { trace: { server: 'verbose' } } });
  const uri = await client.open(path.join(folder, 'shop.go'), text, 'go');
  await client.diagnosticsFor(uri, 1, 0);
  const roundTrip: number[] = [];
  for (const { changes } of seededEdits(text, edits, seed)) {
    const source = new SourceText(text);
    const lsp = changes.map((c) => ({ range: { start: source.positionAt(c.start), end: source.positionAt(c.end) }, text: c.text }));
    const since = client.published.length;
    const started = performance.now();
    const version = await client.change(uri, lsp);
    await client.diagnosticsFor(uri, version, since);
    roundTrip.push(performance.now() - started);
    text = applyChanges(text, changes);
  }
  await client.shutdown();
  const analysed = client.logs.map((l) => /^analysed .* in ([\d.]+) ms/.exec(l)?.[1]).filter((x): x is string => x !== undefined).map(Number).slice(1);
  return { roundTrip, analysed };
}

/** dist/server.js built from the current sources (a stale bundle would measure old code). */
export function freshServer(): string {
  const root = path.resolve(__dirname, '..', '..');
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('build failed');
  return path.join(root, 'dist', 'server.js');
}

export interface LspLatencyResult {
  server: string;
  /** Seeded edits per run (the keystroke bench's sequence, from its start). */
  edits: number;
  runs: number;
  roundTrip: MedianFigures | undefined;
  analysed: MedianFigures | undefined;
  /** 1-minute load average before and after, and at each run's start. */
  load: [number, number];
  loadPerRun: number[];
}
type MedianFigures = ReturnType<typeof medianOfRuns>;

/** `runs` fresh servers, each sent the first `edits` seeded edits; figures are the median of the runs with their spread. */
export async function runLspLatency(serverJs: string, edits: number, runs: number): Promise<LspLatencyResult> {
  const loadBefore = os.loadavg()[0];
  const loadPerRun: number[] = [];
  const each: { roundTrip: Figures; analysed: Figures | undefined }[] = [];
  for (let i = 0; i < runs; i++) {
    loadPerRun.push(os.loadavg()[0]);
    const r = await runOnce(serverJs, edits, 9);
    each.push({ roundTrip: percentiles(r.roundTrip), analysed: r.analysed.length ? percentiles(r.analysed) : undefined });
  }
  const summary = (xs: (Figures | undefined)[]): MedianFigures | undefined => {
    const present = xs.filter((x): x is Figures => x !== undefined);
    return present.length ? medianOfRuns(present) : undefined;
  };
  return {
    server: path.relative(process.cwd(), serverJs), edits, runs,
    roundTrip: summary(each.map((e) => e.roundTrip)), analysed: summary(each.map((e) => e.analysed)),
    load: [loadBefore, os.loadavg()[0]], loadPerRun,
  };
}

export function formatLspLatency(result: LspLatencyResult): string {
  const f = (x: MedianFigures | undefined): string => x
    ? `p50 ${x.p50.toFixed(1)} ms  p99 ${x.p99.toFixed(1)} ms  max ${x.max.toFixed(1)} ms  (spread p50 ${x.spread.p50.map((v) => v.toFixed(1)).join('–')}, p99 ${x.spread.p99.map((v) => v.toFixed(1)).join('–')})`
    : 'n/a';
  return [
    `server: ${result.server}; ${result.edits} seeded edits × ${result.runs} runs (median of runs); load average ${result.load.map((l) => l.toFixed(1)).join(' → ')} (at each run's start ${result.loadPerRun.map((l) => l.toFixed(1)).join(', ')})`,
    `  didChange → publishDiagnostics (50 ms debounce included)  ${f(result.roundTrip)}`,
    `  server-side analysis alone                                 ${f(result.analysed)}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const serverJs = arg('server') !== undefined ? path.resolve(arg('server') ?? '') : freshServer();
  const result = await runLspLatency(serverJs, Number(arg('edits') ?? 1000), Number(arg('runs') ?? 3));
  console.log(process.argv.includes('--json') ? JSON.stringify(result) : formatLspLatency(result));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(2);
  });
}
