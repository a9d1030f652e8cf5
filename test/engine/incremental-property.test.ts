// Property: after any sequence of edits of the kinds typing produces (typing in a body,
// adding and removing declarations, editing imports and struct fields), the incremental
// analysis (re-parse, declaration-scoped rules re-run where an edit can change their
// result, per-declaration facts reused) finds exactly what a from-scratch analysis finds.
// Every Go fixture and a few Go standard library files. Default run is short (the unit
// suite); SHIPSHAPE_PROPERTY_RUNS=N runs N sequences per source, FC_SEED replays one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Engine, type FileAnalysis } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { resolveFixes, type Finding } from '../../server/src/core/finding';
import { applyChanges, type TextChange } from '../../server/src/engine/incremental';
import { RULES } from '../../server/src/rules/index';
import { FIXTURES } from '../support/harness';

let engine: Engine;
before(async () => {
  engine = await Engine.create(RULES, new DiskFileSource(1 << 22));
});
after(() => { engine.dispose(); });

function goFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? goFiles(p) : e.name.endsWith('.go') ? [p] : [];
  });
}

const GOROOT = '/usr/lib/go-1.23/src';
/** Real files: handlers, clients, SQL, a reverse proxy (skipped when Go is not installed). */
const REAL = ['net/http/client.go', 'net/http/httputil/reverseproxy.go', 'database/sql/convert.go', 'net/http/pprof/pprof.go']
  .map((p) => path.join(GOROOT, p))
  .filter((p) => fs.existsSync(p));

const SOURCES: { name: string; path: string; text: string; runs: number }[] = [
  // Fixtures keep their path: their package siblings are read as facts, as in an editor.
  ...goFiles(path.join(FIXTURES, 'go')).sort().map((p) => ({ name: path.relative(FIXTURES, p), path: p, text: fs.readFileSync(p, 'utf8'), runs: 1 })),
  // Real files under a path of their own: reading a stdlib package's siblings would dominate the run.
  ...REAL.map((p) => ({ name: path.relative(GOROOT, p), path: `/ws/real/${path.basename(p)}`, text: fs.readFileSync(p, 'utf8'), runs: 1 })),
];
const RUNS_FACTOR = Number(process.env.SHIPSHAPE_PROPERTY_RUNS ?? 1);

const TYPED = ['x', ' ', '\n', '}', '{', '(', ')', '"', 'é', '\t', 'ctx', 'err', 'defer resp.Body.Close()\n\t', 'return\n\t', 'go func() {}()\n\t'];
const DECLS = [
  'func added(w http.ResponseWriter, r *http.Request) {\n\tresp, _ := http.Get("http://x")\n\t_ = resp\n}\n\n',
  'type Added struct {\n\tA [64]int64\n}\n\n',
  'var addedClient = &http.Client{}\n\n',
  'func (s *Server) Added(ctx context.Context) error {\n\treturn nil\n}\n\n',
  // Declarations other declarations may name: ownership of a body, a result type, a handle.
  'func drain(resp *http.Response) {\n\tresp.Body.Close()\n}\n\n',
  'func (s *Server) fetch(ctx context.Context) (*http.Response, error) {\n\treturn nil, nil\n}\n\n',
  'var db *sql.DB\n\n',
];
const IMPORTS = ['"net/http"', '"context"', '"database/sql"', '"io"', 'ctxpkg "context"'];
const FIELDS = ['\tBig [4096]byte\n', '\tdb *sql.DB\n', '\tclient *http.Client\n', '\tName string\n'];

type EditKind = 'type' | 'erase' | 'addDecl' | 'removeDecl' | 'import' | 'field';
interface Edit {
  kind: EditKind;
  at: number;
  pick: number;
  len: number;
}

/** Offsets in `text` matching `re` (start of the match + `shift`). */
function sites(text: string, re: RegExp, shift = 0): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(re)) out.push(m.index + shift);
  return out;
}

/** The change an edit makes to `text`; undefined when the text has no site for it. */
function changeFor(text: string, e: Edit): TextChange | undefined {
  const choose = (xs: number[]): number | undefined => (xs.length ? xs[e.at % xs.length] : undefined);
  switch (e.kind) {
    case 'type': {
      // Inside a body: after the indentation of an indented line.
      const at = choose(sites(text, /\n\t+/g).map((i) => i + 1 + (e.pick % 2)));
      return at === undefined ? undefined : { start: at, end: at, text: TYPED[e.pick % TYPED.length] };
    }
    case 'erase': {
      const start = e.at % (text.length + 1);
      return { start, end: Math.min(text.length, start + e.len), text: '' };
    }
    case 'addDecl': {
      const at = choose(sites(text, /\n(func|type|var) /g, 1));
      return at === undefined ? undefined : { start: at, end: at, text: DECLS[e.pick % DECLS.length] };
    }
    case 'removeDecl': {
      const start = choose(sites(text, /\n(func|type) /g, 1));
      if (start === undefined) return undefined;
      const close = text.indexOf('\n}\n', start);
      return close < 0 ? undefined : { start, end: close + 3, text: '' };
    }
    case 'import': {
      const lines = sites(text, /\n\t("[^"\n]*"|\w+ "[^"\n]*")\n/g, 1).filter((i) => text.lastIndexOf('import (', i) > text.lastIndexOf(')', i));
      if (e.pick % 2 === 0 || lines.length === 0) {
        const block = text.indexOf('import (\n');
        const at = block >= 0 ? block + 'import (\n'.length : undefined;
        return at === undefined ? undefined : { start: at, end: at, text: `\t${IMPORTS[e.pick % IMPORTS.length]}\n` };
      }
      const at = choose(lines);
      return at === undefined ? undefined : { start: at, end: text.indexOf('\n', at) + 1, text: '' };
    }
    case 'field': {
      const at = choose(sites(text, /struct \{\n/g).map((i) => i + 'struct {\n'.length));
      if (at === undefined) return undefined;
      if (e.pick % 3 === 2) return { start: at, end: text.indexOf('\n', at) + 1, text: '' };
      return { start: at, end: at, text: FIELDS[e.pick % FIELDS.length] };
    }
  }
}

/** Never split a surrogate pair (an editor cannot). */
function splitsPair(text: string, c: TextChange): boolean {
  return /[\uDC00-\uDFFF]/.test(text[c.start] ?? '') || /[\uDC00-\uDFFF]/.test(text[c.end] ?? '');
}

function normalise(findings: Finding[]): unknown[] {
  return findings.map((f) => ({ rule: f.ruleId, span: f.span, message: f.message, severity: f.severity, related: f.related, fixes: resolveFixes(f).map((x) => ({ title: x.title, edits: x.edits })) }));
}

const EDIT = fc.record({
  kind: fc.constantFrom<EditKind>('type', 'type', 'type', 'erase', 'addDecl', 'removeDecl', 'import', 'field'),
  at: fc.nat(),
  pick: fc.nat(),
  len: fc.nat({ max: 6 }),
});

for (const source of SOURCES) {
  test(`incremental = from scratch over random edits: ${source.name}`, () => {
    const config = new StaticConfigResolver(RULES, {}, path.dirname(source.path));
    const opts = { config: config.forFile(source.path), roots: [path.dirname(source.path)] };
    fc.assert(
      fc.property(fc.array(EDIT, { minLength: 1, maxLength: 6 }), (edits) => {
        let text = source.text;
        let prev: FileAnalysis = engine.analyze({ path: source.path, text }, { ...opts, keepParsed: true });
        try {
          for (const e of edits) {
            const change = changeFor(text, e);
            if (!change || splitsPair(text, change)) continue;
            const next = applyChanges(text, [change]);
            prev = engine.analyze({ path: source.path, text: next }, { ...opts, keepParsed: true, previous: { analysis: prev, changes: [change] } });
            const scratch = engine.analyze({ path: source.path, text: next }, opts);
            assert.deepEqual(normalise(prev.findings), normalise(scratch.findings), `${e.kind} ${JSON.stringify(change)}`);
            text = next;
          }
        } finally {
          prev.dispose();
        }
      }),
      { numRuns: source.runs * RUNS_FACTOR, seed: process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined },
    );
  });
}
