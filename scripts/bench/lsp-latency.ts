// didChange → publishDiagnostics through a built server, debounce included: the
// keystroke bench's seeded edits (typing in bodies, declarations, imports, struct
// fields) on its 5,000-line Go file, each sent as one didChange and timed until the
// diagnostics of that version arrive. Three runs (a fresh server each); figures are
// the median of the runs with their spread, and the load average beside them.
//   node --import tsx scripts/bench/lsp-latency.ts [--server dist/server.js] [--edits 1000] [--runs 3] [--json]
// Default server: dist/server.js (the production bundle; `node scripts/build.mjs` first).
import * as os from 'node:os';
import * as path from 'node:path';
import { LspClient, builtServer, makeWorkspace } from '../../test/lsp/support/client';
import { SourceText } from '../../server/src/core/source-text';
import { applyChanges } from '../../server/src/engine/incremental';
import { largeGoFile } from './generate';
import { percentiles, seededEdits } from './keystroke';

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

async function main(): Promise<void> {
  const arg = (name: string): string | undefined => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const serverJs = path.resolve(arg('server') ?? builtServer());
  const edits = Number(arg('edits') ?? 1000);
  const runs = Number(arg('runs') ?? 3);
  const loadBefore = os.loadavg()[0];
  const each: { roundTrip: Figures; analysed: Figures | undefined }[] = [];
  for (let i = 0; i < runs; i++) {
    const r = await runOnce(serverJs, edits, 9);
    each.push({ roundTrip: percentiles(r.roundTrip), analysed: r.analysed.length ? percentiles(r.analysed) : undefined });
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const summary = (pick: (e: (typeof each)[number]) => Figures | undefined): (Figures & { spread: Record<keyof Figures, [number, number]> }) | undefined => {
    const xs = each.map(pick).filter((x): x is Figures => x !== undefined);
    if (xs.length === 0) return undefined;
    const of = (k: keyof Figures): number[] => xs.map((x) => x[k]);
    const spread = (k: keyof Figures): [number, number] => [Math.min(...of(k)), Math.max(...of(k))];
    return { p50: median(of('p50')), p99: median(of('p99')), max: median(of('max')), spread: { p50: spread('p50'), p99: spread('p99'), max: spread('max') } };
  };
  const result = { server: path.relative(process.cwd(), serverJs), edits, runs, roundTrip: summary((e) => e.roundTrip), analysed: summary((e) => e.analysed), load: [loadBefore, os.loadavg()[0]] };
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(result));
    return;
  }
  const f = (x: ReturnType<typeof summary>): string => x
    ? `p50 ${x.p50.toFixed(1)} ms  p99 ${x.p99.toFixed(1)} ms  max ${x.max.toFixed(1)} ms  (spread p50 ${x.spread.p50.map((v) => v.toFixed(1)).join('–')}, p99 ${x.spread.p99.map((v) => v.toFixed(1)).join('–')})`
    : 'n/a';
  console.log(`server: ${result.server}; ${edits} seeded edits × ${runs} runs (median of runs); load average ${result.load.map((l) => l.toFixed(1)).join(' → ')}`);
  console.log(`  didChange → publishDiagnostics (50 ms debounce included)  ${f(result.roundTrip)}`);
  console.log(`  server-side analysis alone                                 ${f(result.analysed)}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(2);
});
