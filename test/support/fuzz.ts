// Property-based fuzzing of the engine (issue 26 item 6): mutations of every fixture plus generated inputs,
// over Go, Dockerfile, YAML manifests, kustomize/compose files and `.shipshape.yaml`. Each case checks: no
// throw and no internal error, time within budget per KB, finding ranges inside the document and off the
// middle of a `\r\n`, fix edits inside the document and not overlapping within a fix. Seeded: a failure
// prints its seed and path (fast-check), and `saveRegression` keeps the input as a regression file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Engine } from '../../server/src/engine/analyze';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { ConfigValidator } from '../../server/src/engine/config/config-file';
import { isCreateFile, resolveFixes, type Span } from '../../server/src/core/finding';
import type { FileSource } from '../../server/src/engine/workspace';
import { RULES } from '../../server/src/rules/index';

export const REPO = path.resolve(__dirname, '..', '..');
export const REGRESSIONS = path.join(REPO, 'test', 'fuzz', 'regressions');

export type FuzzKind = 'go' | 'docker' | 'yaml' | 'kustomize' | 'compose' | 'config';

export interface FuzzInput {
  kind: FuzzKind;
  text: string;
}

/** Where each kind is analysed (an in-memory workspace: the fuzzer reads nothing from disk). */
const PATHS: Record<Exclude<FuzzKind, 'config'>, string> = {
  go: '/fuzz/svc/main.go',
  docker: '/fuzz/svc/Dockerfile',
  yaml: '/fuzz/deploy/app.yaml',
  kustomize: '/fuzz/deploy/kustomization.yaml',
  compose: '/fuzz/docker-compose.yml',
};

/** CPU-time budget of one case: a fixed allowance plus a rate per KB. */
export function budgetMs(text: string): number {
  return 1500 + 100 * (text.length / 1024);
}

export function kindOfFixture(file: string): FuzzKind | undefined {
  const base = path.basename(file);
  if (base.endsWith('.golden')) return undefined;
  if (base.endsWith('.go')) return 'go';
  if (base === 'Dockerfile' || base.startsWith('Dockerfile.')) return 'docker';
  if (/^kustomization\.ya?ml$/.test(base)) return 'kustomize';
  if (/^(docker-)?compose\.ya?ml$/.test(base)) return 'compose';
  if (/^\.shipshape\.ya?ml$/.test(base)) return 'config';
  if (/\.ya?ml$/.test(base)) return 'yaml';
  return undefined;
}

/** Every fixture (and examples/shop file) the fuzzer mutates, read once. */
export function seedInputs(): FuzzInput[] {
  const out: FuzzInput[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else {
        const kind = kindOfFixture(p);
        if (kind) out.push({ kind, text: fs.readFileSync(p, 'utf8') });
      }
    }
  };
  walk(path.join(REPO, 'test', 'fixtures'));
  walk(path.join(REPO, 'examples', 'shop'));
  out.push({ kind: 'config', text: 'rules:\n  go/unclosed-body: error\n  k8s/missing-limits:\n    options: { defaultMemory: 256Mi }\nexclude: ["gen/**"]\nmaxFileSize: 1000000\n' });
  out.push({ kind: 'compose', text: 'services:\n  api:\n    build:\n      context: ./svc\n      dockerfile: Dockerfile\n' });
  out.push({ kind: 'kustomize', text: 'resources:\n  - app.yaml\nimages:\n  - name: api\n    newTag: v2\n' });
  return out;
}

/** Characters that matter to the four grammars: the mutations insert these most. */
const SYNTAX = ['{', '}', '[', ']', '(', ')', '"', "'", '`', ':', '-', ' ', '  ', '\n', '\r\n', '\r', '\t', '#', '&a', '*a', '!', '|', '>', '\\', ',', ';', '.', '=', '/*', '*/', '//', '<<', '---\n', '\u00e9', '\u{1f680}', '\u0000', '\ufeff', '{{', '%', '@'];

type Mutation =
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; len: number }
  | { op: 'repeat'; at: number; len: number; times: number }
  | { op: 'crlf' }
  | { op: 'truncate'; at: number };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...SYNTAX), fc.string({ maxLength: 8 })) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 30 }), times: fc.integer({ min: 2, max: 60 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('crlf' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }) },
);

function mutate(text: string, m: Mutation): string {
  const pos = (at: number): number => (text.length === 0 ? 0 : at % (text.length + 1));
  switch (m.op) {
    case 'insert': return text.slice(0, pos(m.at)) + m.text + text.slice(pos(m.at));
    case 'delete': return text.slice(0, pos(m.at)) + text.slice(pos(m.at) + m.len);
    case 'repeat': {
      const at = pos(m.at);
      return text.slice(0, at) + text.slice(at, at + m.len).repeat(m.times) + text.slice(at);
    }
    case 'crlf': return text.replace(/\r?\n/g, '\r\n');
    case 'truncate': return text.slice(0, pos(m.at));
  }
}

/** A fixture with 1-6 mutations, or (one case in five) generated text of the grammars' characters. */
export function inputArb(seeds: readonly FuzzInput[]): fc.Arbitrary<FuzzInput> {
  const mutated = fc.tuple(fc.nat({ max: seeds.length - 1 }), fc.array(mutationArb, { minLength: 1, maxLength: 6 }))
    .map(([i, ms]) => ({ kind: seeds[i].kind, text: ms.reduce(mutate, seeds[i].text) }));
  const kinds: FuzzKind[] = ['go', 'docker', 'yaml', 'kustomize', 'compose', 'config'];
  const generated = fc.tuple(fc.constantFrom(...kinds), fc.array(fc.oneof(fc.constantFrom(...SYNTAX), fc.string({ maxLength: 4 })), { maxLength: 200 }))
    .map(([kind, parts]) => ({ kind, text: parts.join('') }));
  return fc.oneof({ weight: 4, arbitrary: mutated }, { weight: 1, arbitrary: generated });
}

const EMPTY_SOURCE: FileSource = { readText: () => undefined, listDir: () => undefined, versionOf: () => undefined };

/** Checks one input; returns a description of what is wrong, or undefined. */
export class FuzzChecker {
  private readonly config = new StaticConfigResolver(RULES, {}, '/fuzz', true);
  private readonly validator = new ConfigValidator(RULES);

  private constructor(private readonly engine: Engine) {}

  static async create(): Promise<FuzzChecker> {
    return new FuzzChecker(await Engine.create(RULES, EMPTY_SOURCE));
  }

  check(input: FuzzInput): string | undefined {
    // CPU time of this process, not wall time: other processes on a loaded CI machine do not count against a case.
    const started = process.cpuUsage();
    const problem = input.kind === 'config' ? this.checkConfig(input.text) : this.checkFile(PATHS[input.kind], input.text);
    if (problem) return problem;
    const used = process.cpuUsage(started);
    const ms = (used.user + used.system) / 1000;
    if (ms > budgetMs(input.text)) return `took ${ms.toFixed(0)} ms of CPU for ${input.text.length} chars (budget ${budgetMs(input.text).toFixed(0)} ms)`;
    return undefined;
  }

  private checkConfig(text: string): string | undefined {
    const r = this.validator.check('/fuzz/.shipshape.yaml', text);
    for (const p of r.problems) if (!inside({ start: p.start, end: p.end }, text)) return `config problem range ${p.start}-${p.end} outside the text (${text.length})`;
    return undefined;
  }

  private checkFile(filePath: string, text: string): string | undefined {
    const analysis = this.engine.analyze({ path: filePath, text }, { config: this.config.forFile(filePath), roots: ['/fuzz'] });
    const internal = analysis.notices.find((n) => n.reason === 'internal-error');
    if (internal) return `internal error: ${internal.message}`;
    for (const f of analysis.findings) {
      if (f.file !== filePath) continue;
      if (!inside(f.span, text)) return `${f.ruleId}: range ${f.span.start}-${f.span.end} outside the text (${text.length})`;
      if (splitsCrlf(f.span.start, text) || splitsCrlf(f.span.end, text)) return `${f.ruleId}: range ${f.span.start}-${f.span.end} ends inside a \\r\\n`;
      for (const fix of resolveFixes(f)) {
        const edits = fix.edits.filter((e) => !isCreateFile(e) && (e.file === undefined || e.file === filePath)).map((e) => (isCreateFile(e) ? { start: 0, end: 0 } : e));
        for (const e of edits) if (!inside(e, text)) return `${f.ruleId}: fix "${fix.title}" edits ${e.start}-${e.end} outside the text (${text.length})`;
        const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
        for (let i = 1; i < sorted.length; i++) {
          if (sorted[i].start < sorted[i - 1].end) return `${f.ruleId}: fix "${fix.title}" has overlapping edits`;
        }
      }
    }
    return undefined;
  }

  dispose(): void {
    this.engine.dispose();
  }
}

function inside(span: Span, text: string): boolean {
  return Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= text.length;
}

function splitsCrlf(offset: number, text: string): boolean {
  return offset > 0 && offset < text.length && text[offset - 1] === '\r' && text[offset] === '\n';
}

const EXT: Record<FuzzKind, string> = { go: 'go', docker: 'Dockerfile', yaml: 'yaml', kustomize: 'kustomization.yaml', compose: 'compose.yml', config: 'shipshape.yaml' };

/** Keeps a failing input as `test/fuzz/regressions/<hash>.<kind-ext>`: the fuzz test replays every one first. */
export function saveRegression(input: FuzzInput): string {
  let h = 2166136261;
  for (let i = 0; i < input.text.length; i++) h = Math.imul(h ^ input.text.charCodeAt(i), 16777619) >>> 0;
  fs.mkdirSync(REGRESSIONS, { recursive: true });
  const file = path.join(REGRESSIONS, `${h.toString(16).padStart(8, '0')}.${EXT[input.kind]}`);
  fs.writeFileSync(file, input.text);
  return file;
}

/** The stored regression inputs, by their file name's kind. */
export function regressionInputs(): { file: string; input: FuzzInput }[] {
  if (!fs.existsSync(REGRESSIONS)) return [];
  return fs.readdirSync(REGRESSIONS).sort().flatMap((name) => {
    const kind = (Object.entries(EXT) as [FuzzKind, string][]).find(([, ext]) => name.endsWith(`.${ext}`))?.[0];
    return kind ? [{ file: name, input: { kind, text: fs.readFileSync(path.join(REGRESSIONS, name), 'utf8') } }] : [];
  });
}

/** Runs `runs` cases from `seed`; resolves with the count, rejects with fast-check's report (seed, path, counterexample). */
export async function runFuzz(options: { runs: number; seed: number; onFailure?: (input: FuzzInput, problem: string) => void }): Promise<number> {
  const checker = await FuzzChecker.create();
  const seeds = seedInputs();
  let count = 0;
  try {
    fc.assert(
      fc.property(inputArb(seeds), (input) => {
        count++;
        const problem = checker.check(input);
        if (problem) {
          options.onFailure?.(input, problem);
          throw new Error(problem);
        }
      }),
      { numRuns: options.runs, seed: options.seed, endOnFailure: true },
    );
  } finally {
    checker.dispose();
  }
  return count;
}
