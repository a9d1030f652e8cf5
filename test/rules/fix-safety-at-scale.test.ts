// Fix safety at scale (issue 26, item 7): every safe fix of every rule applied, as --fix does, to every
// fixture folder and to examples/shop (copied to a temporary folder). Per changed file: each pass changes
// only lines its fixes' edits touch (every other line byte-identical), a Go file that gofmt -e parsed still
// parses, a YAML file has the same documents (kind, name) and no new parse error, a second fix-all changes
// nothing; the example still passes go vet and go build ./... .
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { Engine } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { isCreateFile, resolveFixes, type Finding } from '../../server/src/core/finding';
import { engineFixTarget, fixAll, safeFixOf } from '../../server/src/engine/fixes';
import { documentKindOf } from '../../server/src/engine/languages';
import { RULES } from '../../server/src/rules/index';
import { SourceText } from '../../server/src/core/source-text';

const REPO = path.resolve(__dirname, '../..');
const GO_BIN = '/usr/lib/go-1.23/bin';
const GO_ENV = { ...process.env, PATH: `${GO_BIN}:${process.env.PATH ?? ''}`, GOPROXY: 'off', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOCACHE: path.join(os.tmpdir(), 'shipshape-fix-safety-gocache') };
const hasGo = fs.existsSync(path.join(GO_BIN, 'go'));

let engine: Engine;
let tmp: string;
before(async () => {
  engine = await Engine.create(RULES, new DiskFileSource(5 * 1024 * 1024));
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-fix-safety-'));
  fs.cpSync(path.join(REPO, 'test/fixtures'), path.join(tmp, 'fixtures'), { recursive: true });
  fs.cpSync(path.join(REPO, 'examples/shop'), path.join(tmp, 'shop'), { recursive: true });
});
after(() => {
  engine.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }))
    .filter((d) => d.isFile() && !d.name.endsWith('.golden') && documentKindOf(d.name) !== undefined)
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
}

/** 0-based line numbers of `text` that the spans touch (an insertion touches the line it lands on). */
function linesTouched(text: string, spans: readonly { start: number; end: number }[]): Set<number> {
  const source = new SourceText(text);
  const out = new Set<number>();
  for (const s of spans) for (let l = source.lineOf(s.start); l <= source.lineOf(Math.max(s.start, s.end)); l++) out.add(l);
  return out;
}

/**
 * True when `after` keeps every line of `before` that is not in `touched`, byte for byte and in order:
 * `after` is run0 + x1 + run1 + ... where run_i are the maximal runs of untouched lines (line ends included)
 * and x_i anything. Leftmost matching decides it.
 */
function keepsUntouched(before: string, after: string, touched: ReadonlySet<number>): boolean {
  const lines = before.split(/(?<=\r\n|\r(?!\n)|\n)/); // SourceText's lines: \r\n, \r and \n end one
  const runs: string[] = [];
  let run = '';
  lines.forEach((l, i) => {
    if (touched.has(i)) {
      runs.push(run);
      run = '';
    } else run += l;
  });
  runs.push(run);
  if (runs.length === 1) return after === runs[0];
  if (!after.startsWith(runs[0]) || !after.endsWith(runs[runs.length - 1])) return false;
  let at = runs[0].length;
  for (let i = 1; i < runs.length - 1; i++) {
    const found = after.indexOf(runs[i], at);
    if (found < 0) return false;
    at = found + runs[i].length;
  }
  return at <= after.length - runs[runs.length - 1].length;
}

function yamlShape(text: string): { docs: string[]; errors: number } {
  const docs = parseAllDocuments(text, { uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  return {
    docs: list.map((d) => {
      const js = (() => {
        try {
          return d.toJS({ maxAliasCount: 100 }) as unknown;
        } catch {
          return undefined;
        }
      })();
      const o = (js ?? {}) as { kind?: unknown; metadata?: { name?: unknown } };
      return `${String(o.kind)}/${String(o.metadata?.name)}`;
    }),
    errors: list.reduce((n, d) => n + d.errors.length, 0),
  };
}

function gofmtParses(file: string): boolean {
  try {
    execFileSync(path.join(GO_BIN, 'gofmt'), ['-e', '-l', file], { stdio: 'pipe', env: GO_ENV });
    return true;
  } catch {
    return false;
  }
}

interface Outcome {
  files: number;
  changed: number;
  fixes: number;
}

function fixTree(root: string, problems: string[]): Outcome {
  const config = new StaticConfigResolver(RULES, {}, root);
  const outcome: Outcome = { files: 0, changed: 0, fixes: 0 };
  for (const file of filesUnder(root)) {
    outcome.files++;
    const text = fs.readFileSync(file, 'utf8');
    const options = { config: config.forFile(file), roots: [root] };
    // Every text fix-all analyses, with its findings: pass i's safe edits explain the change to pass i+1.
    const passes: { text: string; findings: readonly Finding[] }[] = [];
    const target = engineFixTarget(engine, { path: file, text }, options, { onAnalysis: (a) => passes.push({ text: a.source.text, findings: a.findings }) });
    const result = fixAll(target);
    if (!result.changed || result.text === text) continue;
    outcome.changed++;
    outcome.fixes += result.applied.length;
    const rel = path.relative(tmp, file);
    for (let i = 0; i + 1 < passes.length; i++) {
      const { text: from, findings } = passes[i];
      const to = passes[i + 1].text;
      if (from === to) continue;
      const spans = findings.filter((f) => f.file === file).flatMap((f) => safeFixOf(resolveFixes(f))?.edits ?? []).flatMap((e) => (isCreateFile(e) || (e.file !== undefined && e.file !== file) ? [] : [e]));
      if (!keepsUntouched(from, to, linesTouched(from, spans))) problems.push(`${rel}: pass ${i + 1} changed a line that no safe edit touches`);
    }
    if (text.charCodeAt(0) === 0xfeff || result.text.charCodeAt(0) === 0xfeff) assert.equal(result.text.charCodeAt(0) === 0xfeff, text.charCodeAt(0) === 0xfeff, `${rel}: BOM kept`);
    const kind = documentKindOf(file);
    if (kind === 'go' && hasGo && gofmtParses(file)) {
      fs.writeFileSync(file, result.text);
      if (!gofmtParses(file)) problems.push(`${rel}: gofmt -e fails after the fixes`);
    } else {
      fs.writeFileSync(file, result.text);
    }
    if (kind === 'k8s') {
      const a = yamlShape(text);
      const b = yamlShape(result.text);
      if (b.errors > a.errors) problems.push(`${rel}: YAML parse errors ${a.errors} -> ${b.errors}`);
      if (JSON.stringify(a.docs) !== JSON.stringify(b.docs)) problems.push(`${rel}: documents changed ${JSON.stringify(a.docs)} -> ${JSON.stringify(b.docs)}`);
    }
    for (const c of result.createFiles) if (!fs.existsSync(c.createFile)) fs.writeFileSync(c.createFile, c.text);
  }
  // A second --fix over the fixed tree changes nothing.
  for (const file of filesUnder(root)) {
    const text = fs.readFileSync(file, 'utf8');
    const again = fixAll(engineFixTarget(engine, { path: file, text }, { config: config.forFile(file), roots: [root] }));
    if (again.text !== text) problems.push(`${path.relative(tmp, file)}: a second fix-all changed it again (${again.applied.map((a) => a.ruleId).join(', ')})`);
  }
  return outcome;
}

test('every safe fix on every fixture: local edits, still parses, same documents, idempotent', () => {
  const problems: string[] = [];
  const outcome = fixTree(path.join(tmp, 'fixtures'), problems);
  assert.ok(outcome.changed > 50, `fixed ${outcome.changed} of ${outcome.files} files`);
  assert.deepEqual(problems, []);
});

test('every safe fix on examples/shop: local edits, idempotent, and go vet and go build ./... still pass', { skip: !hasGo && 'Go 1.23 not installed' }, () => {
  const problems: string[] = [];
  const shop = path.join(tmp, 'shop');
  const outcome = fixTree(shop, problems);
  assert.ok(outcome.changed > 0, `fixed ${outcome.changed} of ${outcome.files} files`);
  assert.deepEqual(problems, []);
  execFileSync(path.join(GO_BIN, 'go'), ['build', './...'], { cwd: shop, env: GO_ENV, stdio: 'pipe' });
  execFileSync(path.join(GO_BIN, 'go'), ['vet', './...'], { cwd: shop, env: GO_ENV, stdio: 'pipe' });
});
