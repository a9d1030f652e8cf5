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

// Split-by-name keys at their finest (struct fields as member entries `T::f`, struct layouts for the sizer,
// package vars by name): edits that change what other declarations find, each step checked against a fresh
// analysis, and each scenario must change the findings somewhere (else it tests nothing).
const HEADER = 'package keys\n\nimport (\n\t"context"\n\t"database/sql"\n\t"net/http"\n)\n\n';
const SCENARIOS: { name: string; text: string; steps: [from: string, to: string][] }[] = [
  {
    // Only the member entry `Svc::a` says that `s.a.get` returns a response (no handle name, no word of `run` changes).
    name: 'a field selected by a function elsewhere: retyped, renamed, promoted through an embedded field',
    text: `${HEADER}type Other struct{}\n\ntype api struct{}\n\nfunc (api) get(url string) (*http.Response, error) {\n\treturn nil, nil\n}\n\ntype Svc struct {\n\tname string\n\ta    api\n}\n\ntype Wrap struct {\n\tlabel string\n}\n\nfunc (s *Svc) run() int {\n\tresp, err := s.a.get("u")\n\tif err != nil {\n\t\treturn 0\n\t}\n\treturn resp.StatusCode\n}\n\nfunc (w *Wrap) run() int {\n\tresp, err := w.a.get("u")\n\tif err != nil {\n\t\treturn 0\n\t}\n\treturn resp.StatusCode\n}\n\nfunc (s *Svc) label() string {\n\treturn s.name\n}\n`,
    steps: [
      ['\ta    api\n', '\ta    Other\n'],
      ['\ta    Other\n', '\ta    api\n'],
      ['\ta    api\n', '\tb    api\n'],
      ['\tb    api\n', '\ta    api\n'],
      ['\tlabel string\n', '\tlabel string\n\t*Svc\n'],
      ['\tname string\n', '\tname string\n\tage  int\n'],
      ['\t*Svc\n', ''],
      ['\ta    api\n', '\ta    *api\n'],
    ],
  },
  {
    name: 'a struct resized across the large-struct threshold, directly and through a field type',
    text: `${HEADER}type Inner struct {\n\tA [4]int64\n}\n\ntype Rec struct {\n\tA  [8]int64\n\tIn Inner\n}\n\nfunc sum(recs []Rec) int64 {\n\tvar n int64\n\tfor _, r := range recs {\n\t\tn += r.A[0]\n\t}\n\treturn n\n}\n`,
    steps: [
      ['\tA  [8]int64\n', '\tA  [8]int64\n\tB  [16]int64\n'],
      ['\tB  [16]int64\n', ''],
      ['\tA [4]int64\n', '\tA [40]int64\n'],
      ['\tA [40]int64\n', '\tZ [4]int64\n'],
      ['\tIn Inner\n', ''],
    ],
  },
  {
    name: 'a package var used as an HTTP client, a DB handle or a response producer, added, removed, retyped',
    text: `${HEADER}type api struct{}\n\nfunc (api) get(url string) (*http.Response, error) {\n\treturn nil, nil\n}\n\nvar p = &api{}\n\nfunc use() int {\n\tresp, err := p.get("u")\n\tif err != nil {\n\t\treturn 0\n\t}\n\treturn resp.StatusCode\n}\n\nvar client = &http.Client{}\n\nvar db *sql.DB\n\nfunc get(ctx context.Context, url string) error {\n\tresp, err := client.Get(url)\n\tif err != nil {\n\t\treturn err\n\t}\n\t_ = resp\n\treturn nil\n}\n\nfunc count(ctx context.Context) error {\n\t_, err := db.Query("SELECT 1")\n\treturn err\n}\n`,
    steps: [
      ['var client = &http.Client{}\n\n', ''],
      ['var db *sql.DB\n\n', 'var client = &http.Client{}\n\n'],
      ['func get(', 'var db *sql.DB\n\nfunc get('],
      ['var client = &http.Client{}', 'var client = 3'],
      ['var p = &api{}', 'var p = &struct{}{}'],
      ['var p = &struct{}{}', 'var p = &api{}'],
      ['var p = &api{}\n\n', ''],
    ],
  },
  {
    // Functions with a local `x` do not depend on a package var `x`; one that uses `x` before declaring its own does.
    name: 'a package var named like locals elsewhere, added and removed',
    text: `${HEADER}type api struct{}\n\nfunc (api) get(url string) (*http.Response, error) {\n\treturn nil, nil\n}\n\nfunc shadow() int {\n\tx := api{}\n\tresp, err := x.get("x")\n\tif err != nil {\n\t\treturn 0\n\t}\n\treturn resp.StatusCode\n}\n\nfunc mixed() int {\n\tresp, err := x.get("u")\n\tif err != nil {\n\t\treturn 0\n\t}\n\tx := 4\n\t_ = x\n\treturn resp.StatusCode\n}\n\nfunc plain() int {\n\tresp, err := x.get("u") // x\n\tif err != nil {\n\t\treturn 0\n\t}\n\treturn resp.StatusCode\n}\n`,
    steps: [
      ['func shadow', 'var x = &api{}\n\nfunc shadow'],
      ['var x = &api{}\n\n', ''],
      ['func mixed', 'var x api\n\nfunc mixed'],
      ['var x api\n\n', 'var x int\n\n'],
    ],
  },
  {
    // Handle names are matched by spelling: a local `conn` is a DB handle because a field of the package is one.
    name: 'a handle name spelled by a local, its field retyped',
    text: `${HEADER}type Store struct {\n\tname string\n}\n\nfunc (s *Store) pick() int {\n\treturn 0\n}\n\nfunc count(ctx context.Context, s *Store) error {\n\tconn := s.pick()\n\t_, err := conn.Query("SELECT 1")\n\treturn err\n}\n\ntype Keep struct {\n\tconn *sql.DB\n}\n`,
    steps: [
      ['\tconn *sql.DB\n', '\tconn *http.Client\n'],
      ['\tconn *http.Client\n', '\tconn *sql.DB\n'],
    ],
  },
];

for (const s of SCENARIOS) {
  test(`incremental = from scratch, finest keys: ${s.name}`, () => {
    const file = '/ws/keys/keys.go';
    const config = new StaticConfigResolver(RULES, {}, '/ws/keys');
    const opts = { config: config.forFile(file), roots: ['/ws/keys'] };
    let text = s.text;
    let prev: FileAnalysis = engine.analyze({ path: file, text }, { ...opts, keepParsed: true });
    const seen = new Set([JSON.stringify(normalise(prev.findings).map((f) => (f as { message: string }).message))]);
    try {
      for (const [from, to] of s.steps) {
        const start = text.indexOf(from);
        assert.ok(start >= 0, `step text not found: ${JSON.stringify(from)}`);
        const change: TextChange = { start, end: start + from.length, text: to };
        const next = applyChanges(text, [change]);
        prev = engine.analyze({ path: file, text: next }, { ...opts, keepParsed: true, previous: { analysis: prev, changes: [change] } });
        const scratch = engine.analyze({ path: file, text: next }, opts);
        assert.deepEqual(normalise(prev.findings), normalise(scratch.findings), `${JSON.stringify(from)} -> ${JSON.stringify(to)}`);
        seen.add(JSON.stringify(normalise(scratch.findings).map((f) => (f as { message: string }).message)));
        text = next;
      }
    } finally {
      prev.dispose();
    }
    assert.ok(seen.size > 1, 'the scenario never changed the findings');
  });
}
