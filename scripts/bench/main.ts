// `npm run bench [-- --path DIR] [--rounds N] [--json] [--small] [--lines N] [--staticcheck] [--only a,b] [--skip a,b]`: interleaved rounds of
// parse-only vs full audit over the same files (median and min, files/s, MB/s, the ratio, time per rule), Dockerfiles,
// keystrokes, 1 vs N workers, cold vs warm --cache, peak RSS of a whole audit of a generated tree of --lines lines
// (default 1,000,000; 0 skips it), and with --staticcheck cold go-staticcheck vs cold Shipshape (README, Benchmarks).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { DockerfileParser } from 'dockerfile-ast';
import { Engine } from '../../server/src/engine/analyze';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { DiskFileSource } from '../../server/src/engine/disk';
import { auditFiles, collectFiles } from '../../server/src/engine/audit';
import { documentKindOf } from '../../server/src/engine/languages';
import { RULES } from '../../server/src/rules/index';
import { generateWorkspace } from './generate';
import { formatKeystroke, runKeystrokeBench } from './keystroke';
import { formatLspLatency, freshServer, runLspLatency } from './lsp-latency';
import { formatWorkers, runWorkersBench } from './workers';
import { formatDockerBench, runDockerBench } from './docker';
import { stats } from './stats';
import { formatMemory, runMemoryBench } from './memory';
import { formatCacheBench, runCacheBench } from './cache';
import { formatStaticcheck, runStaticcheckBench } from './staticcheck';
import { formatServiceModelBench, runServiceModelBench } from './service-model';

export interface BenchResult {
  files: number;
  bytes: number;
  lines: number;
  findings: number;
  rounds: number;
  parseMs: { median: number; min: number };
  auditMs: { median: number; min: number };
  ratio: number;
  filesPerSecond: number;
  mbPerSecond: number;
  peakRssMb: number;
  /** The Kubernetes manifests alone, analysed with every rule (k8s rules read Dockerfiles and go.mod through the workspace). */
  manifests: { files: number; bytes: number; medianMs: number; filesPerSecond: number; mbPerSecond: number };
  /** Share of the audit time per rule, highest first (top 10). */
  ruleShares: { rule: string; ms: number; share: number }[];
}


export async function runBench(root: string, rounds: number): Promise<BenchResult> {
  // As the CLI audits: the tree does not change while it is audited (the source is frozen).
  const source = new DiskFileSource(5 * 1024 * 1024);
  source.freeze();
  const engine = await Engine.create(RULES, source);
  const config = new StaticConfigResolver(RULES, {}, root);
  const collected = collectFiles([root], config);
  const texts = collected.files.map((f) => ({ f, text: fs.readFileSync(f, 'utf8') }));
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t.text), 0);
  const lines = texts.reduce((n, t) => n + t.text.split('\n').length, 0);
  const parseTimes: number[] = [];
  const auditTimes: number[] = [];
  let findings = 0;
  let peakRss = process.memoryUsage().rss;
  const timings = new Map<string, number>();
  for (let r = 0; r < rounds; r++) {
    // Parse-only: read and parse each file with its parser, as the audit must at least do.
    let t0 = performance.now();
    for (const { f } of texts) {
      const text = fs.readFileSync(f, 'utf8');
      const kind = documentKindOf(f);
      if (kind === 'go') engine.goParser.parseTree(text).delete();
      else if (kind === 'docker') DockerfileParser.parse(text);
      else if (kind === 'k8s') parseAllDocuments(text);
    }
    parseTimes.push(performance.now() - t0);
    engine.facts.clear();
    t0 = performance.now();
    const result = auditFiles(engine, collectFiles([root], config), { roots: [root], config, timings });
    auditTimes.push(performance.now() - t0);
    findings = result.findings.length;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  const manifests = texts.filter(({ f }) => documentKindOf(f) === 'k8s');
  const manifestBytes = manifests.reduce((n, t) => n + Buffer.byteLength(t.text), 0);
  const manifestTimes: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (const { f, text } of manifests) engine.analyze({ path: f, text }, { config: config.forFile(f), roots: [root] });
    manifestTimes.push(performance.now() - t0);
  }
  const manifestMs = Math.max(stats(manifestTimes).median, 1e-3);
  engine.dispose();
  const parseMs = stats(parseTimes);
  const auditMs = stats(auditTimes);
  return {
    files: texts.length, bytes, lines, findings, rounds, parseMs, auditMs,
    ratio: auditMs.median / parseMs.median,
    filesPerSecond: texts.length / (auditMs.median / 1000),
    mbPerSecond: bytes / 1024 / 1024 / (auditMs.median / 1000),
    peakRssMb: peakRss / 1024 / 1024,
    manifests: {
      files: manifests.length, bytes: manifestBytes, medianMs: manifestMs,
      filesPerSecond: manifests.length / (manifestMs / 1000), mbPerSecond: manifestBytes / 1024 / 1024 / (manifestMs / 1000),
    },
    ruleShares: [...timings.entries()]
      .map(([rule, ms]) => ({ rule, ms: ms / rounds, share: ms / auditTimes.reduce((a, b) => a + b, 0) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 10),
  };
}

export function formatBench(name: string, r: BenchResult): string {
  const f = (n: number): string => n.toFixed(1);
  return [
    `${name}: ${r.files} files, ${r.lines} lines, ${f(r.bytes / 1024 / 1024)} MB, ${r.findings} findings, ${r.rounds} interleaved rounds`,
    `  parse only   median ${f(r.parseMs.median)} ms   min ${f(r.parseMs.min)} ms`,
    `  full audit   median ${f(r.auditMs.median)} ms   min ${f(r.auditMs.min)} ms`,
    `  ratio audit/parse ${r.ratio.toFixed(2)}x   ${f(r.filesPerSecond)} files/s   ${r.mbPerSecond.toFixed(2)} MB/s   peak RSS ${f(r.peakRssMb)} MB`,
    `  manifests    ${r.manifests.files} files   median ${f(r.manifests.medianMs)} ms   ${f(r.manifests.filesPerSecond)} files/s   ${r.manifests.mbPerSecond.toFixed(2)} MB/s`,
    '  time per rule (mean per round, share of the audit):',
    ...r.ruleShares.map((s) => `    ${s.rule.padEnd(34)} ${f(s.ms).padStart(8)} ms  ${(s.share * 100).toFixed(1).padStart(5)} %`),
  ].join('\n');
}

/** The bench's parts, in the order they run; `--only` and `--skip` take their names. */
export const PARTS = ['audit', 'docker', 'keystroke', 'server', 'workers', 'cache', 'memory', 'staticcheck', 'service-model'] as const;
type Part = (typeof PARTS)[number];

function partList(value: string | undefined, flag: string): Part[] | undefined {
  if (value === undefined) return undefined;
  const names = value.split(',').map((x) => x.trim()).filter((x) => x !== '');
  const unknown = names.filter((n) => !(PARTS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`${flag}: unknown part(s) ${unknown.join(', ')} (parts: ${PARTS.join(', ')})`);
  return names as Part[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      path: { type: 'string' }, rounds: { type: 'string', default: '3' }, json: { type: 'boolean', default: false }, small: { type: 'boolean', default: false },
      lines: { type: 'string' }, staticcheck: { type: 'boolean', default: false }, only: { type: 'string' }, skip: { type: 'string' },
    },
  });
  const memoryLines = Number(values.lines ?? (values.small ? 20_000 : 1_000_000));
  const rounds = Math.max(1, Number(values.rounds));
  const only = partList(values.only, '--only');
  const skip = partList(values.skip, '--skip') ?? [];
  // staticcheck runs when asked for (by --staticcheck or by name in --only); memory unless --lines 0.
  const wanted = (part: Part): boolean => !skip.includes(part) && (only ? only.includes(part) : part !== 'staticcheck' || values.staticcheck) && (part !== 'memory' || memoryLines > 0);
  let root = values.path ? path.resolve(values.path) : undefined;
  let tmp: string | undefined;
  const needsTree = PARTS.some((p) => wanted(p) && ['audit', 'docker', 'workers', 'cache', 'service-model'].includes(p));
  if (!root && needsTree) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-bench-'));
    generateWorkspace(tmp, values.small ? { goFiles: 20, dockerfiles: 3, manifests: 5 } : { goFiles: 2000, dockerfiles: 200, manifests: 500 });
    root = tmp;
  }
  const tree = root ?? '';
  const figures: Record<string, unknown> = {};
  const started = performance.now();
  // Each part prints as soon as it is done (to stderr with --json, whose one JSON object goes to stdout at the end),
  // with its own wall time: a long run shows its progress, and an interrupted one keeps what it measured.
  const part = async <T>(name: Part, run: () => T | Promise<T>, format: (r: T) => string, spread = false): Promise<void> => {
    if (!wanted(name)) return;
    const t0 = performance.now();
    const result = await run();
    if (spread) Object.assign(figures, result);
    else figures[name === 'service-model' ? 'serviceModel' : name] = result;
    const took = `(${name}: ${((performance.now() - t0) / 1000).toFixed(0)} s)`;
    const text = `${format(result)}\n  ${took}`;
    if (values.json) console.error(text);
    else console.log(text);
  };
  try {
    await part('audit', () => runBench(tree, rounds), (r) => formatBench(values.path ? tree : 'generated workspace', r), true);
    await part('docker', () => runDockerBench(tree, rounds), formatDockerBench);
    await part('keystroke', () => runKeystrokeBench(values.small ? 500 : 5000, values.small ? 20 : 1000, 9, values.small ? 1 : 3), formatKeystroke);
    // Through the built server (debounce included): 3 runs of the first 400 of the same seeded edits (1,200 in all, about a minute on a quiet machine).
    await part('server', () => runLspLatency(freshServer(), values.small ? 20 : 1000, values.small ? 1 : 3), formatLspLatency);
    await part('workers', () => runWorkersBench(tree, Math.min(rounds, 2)), formatWorkers);
    await part('cache', () => runCacheBench(tree), formatCacheBench);
    await part('memory', () => runMemoryBench(memoryLines), formatMemory);
    await part('staticcheck', () => runStaticcheckBench(Math.min(rounds, 3)), formatStaticcheck);
    // Last: it adds main packages and a Makefile to the corpus for the time of its run.
    if (tmp) await part('service-model', () => runServiceModelBench(tree, rounds), formatServiceModelBench);
    const total = `bench: ${((performance.now() - started) / 1000).toFixed(0)} s in all`;
    if (values.json) {
      console.error(total);
      console.log(JSON.stringify(figures, null, 2));
    } else console.log(total);
  } finally {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(2);
  });
}
