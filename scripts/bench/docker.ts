// Dockerfile throughput for `npm run bench`: the Dockerfiles of the corpus alone, parse-only
// (dockerfile-ast) vs full analysis with every docker/ rule (the shared model, shell parsing,
// build-context reads), in interleaved rounds. As in an audit, the file source is frozen and the
// service model (every Go file's facts) is built before the rounds: its cost is the model's
// (`modelMs`), not the Dockerfiles' (it was charged to the first round).
import * as fs from 'node:fs';
import { DockerfileParser } from 'dockerfile-ast';
import { Engine } from '../../server/src/engine/analyze';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { DiskFileSource } from '../../server/src/engine/disk';
import { collectFiles } from '../../server/src/engine/audit';
import { documentKindOf } from '../../server/src/engine/languages';
import { RULES } from '../../server/src/rules/index';
import { stats } from './stats';

export interface DockerBenchResult {
  files: number;
  lines: number;
  findings: number;
  parseMs: { median: number; min: number };
  analyzeMs: { median: number; min: number };
  /** Building the service model the docker rules read, once, before the rounds. */
  modelMs: number;
  ratio: number;
  filesPerSecond: number;
}

export async function runDockerBench(root: string, rounds: number): Promise<DockerBenchResult> {
  const files = new DiskFileSource(5 * 1024 * 1024);
  files.freeze();
  const engine = await Engine.create(RULES, files);
  const config = new StaticConfigResolver(RULES, {}, root);
  const docker = collectFiles([root], config).files.filter((f) => documentKindOf(f) === 'docker');
  const texts = docker.map((f) => ({ f, text: fs.readFileSync(f, 'utf8') }));
  const onlyRules = new Set(RULES.filter((r) => r.id.startsWith('docker/')).map((r) => r.id));
  const modelStart = performance.now();
  engine.models.modelFor([root]);
  const modelMs = performance.now() - modelStart;
  const parseTimes: number[] = [];
  const analyzeTimes: number[] = [];
  let findings = 0;
  for (let r = 0; r < rounds; r++) {
    let t0 = performance.now();
    for (const { text } of texts) DockerfileParser.parse(text);
    parseTimes.push(performance.now() - t0);
    t0 = performance.now();
    findings = 0;
    for (const { f, text } of texts) findings += engine.analyze({ path: f, text }, { config: config.forFile(f), roots: [root], onlyRules }).findings.length;
    analyzeTimes.push(performance.now() - t0);
  }
  engine.dispose();
  const parseMs = stats(parseTimes);
  const analyzeMs = stats(analyzeTimes);
  return {
    files: texts.length,
    lines: texts.reduce((n, t) => n + t.text.split('\n').length, 0),
    findings,
    parseMs,
    analyzeMs,
    modelMs,
    ratio: analyzeMs.median / Math.max(parseMs.median, 0.001),
    filesPerSecond: texts.length / Math.max(analyzeMs.median / 1000, 1e-6),
  };
}

export function formatDockerBench(r: DockerBenchResult): string {
  const f = (n: number): string => n.toFixed(1);
  return `  Dockerfiles  ${r.files} files, ${r.lines} lines, ${r.findings} findings: parse ${f(r.parseMs.median)} ms, ` +
    `analyze ${f(r.analyzeMs.median)} ms (min ${f(r.analyzeMs.min)}; service model ${f(r.modelMs)} ms before), ratio ${r.ratio.toFixed(2)}x, ${f(r.filesPerSecond)} files/s`;
}
