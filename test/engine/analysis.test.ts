import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { Languages } from '../../server/src/engine/languages';
import type { GoParser } from '../../server/src/languages/go/parser';
import { defineAnalysis, resultOf } from '../../server/src/core/analysis';
import { FactStore } from '../../server/src/engine/fact-store';
import { GO_FILE_HEADER } from '../../server/src/languages/go/package';
import { RecordingWorkspace, type FileSource } from '../../server/src/engine/workspace';
import { SourceText } from '../../server/src/core/source-text';

let parser: GoParser;
let languages: Languages;
before(async () => {
  languages = await Languages.load();
  parser = languages.go.parser;
});

/** An in-memory FileSource that counts reads per path. */
function memSource(files: Record<string, string>): FileSource & { reads: Map<string, number> } {
  const reads = new Map<string, number>();
  return {
    reads,
    readText: (p) => {
      reads.set(p, (reads.get(p) ?? 0) + 1);
      return files[p];
    },
    listDir: (d) => {
      const names = Object.keys(files).filter((p) => path.dirname(p) === d).map((p) => path.basename(p));
      return names.length ? names : undefined;
    },
    versionOf: (p) => (p in files ? `v${files[p].length}` : undefined),
  };
}

test('an analysis is built once per unit; requirements resolve on the same unit and on its text', () => {
  let builds = 0;
  const lines = defineAnalysis({ id: 'test/lines', on: 'text', build: (s) => s.text.split('\n').length });
  const named = defineAnalysis({
    id: 'test/named',
    on: 'go-file',
    requires: [lines],
    build: (file, pass) => {
      builds++;
      return `${file.packageName}:${pass.resultOf(lines)}`;
    },
  });
  const file = parser.parse('/w/a.go', 'package a\n\nfunc f() {}\n');
  try {
    assert.equal(resultOf(named, file), 'a:4');
    assert.equal(resultOf(named, file), 'a:4');
    assert.equal(builds, 1);
    const other = parser.parse('/w/a.go', 'package a\n\nfunc f() {}\n');
    assert.equal(resultOf(named, other), 'a:4');
    assert.equal(builds, 2, 'a new tree is a new unit');
    other.dispose();
  } finally {
    file.dispose();
  }
});

test('reading an analysis that is not required throws', () => {
  const lines = defineAnalysis({ id: 'test/lines2', on: 'text', build: (s) => s.text.length });
  const sneaky = defineAnalysis({ id: 'test/sneaky', on: 'text', build: (_s, pass) => pass.resultOf(lines) });
  assert.throws(() => resultOf(sneaky, new SourceText('x')), /without requiring it/);
});

test('facts are kept per content: a sibling is parsed once for every file of the package', () => {
  const files: Record<string, string> = {
    '/w/p/a.go': 'package p\n',
    '/w/p/b.go': 'package p\n',
    '/w/p/c.go': 'package p\n',
  };
  const source = memSource(files);
  const store = new FactStore(languages, source);
  for (const f of Object.keys(files)) {
    const file = parser.parse(f, files[f]);
    const ws = new RecordingWorkspace(['/w'], source, store);
    assert.deepEqual(ws.goPackage(file).others().length, 2);
    file.dispose();
  }
  // Each file is read once for its facts; the facts of a file analysed earlier come from its own tree.
  for (const f of Object.keys(files)) assert.ok((source.reads.get(f) ?? 0) <= 1, `${f} read ${source.reads.get(f)} times`);
  store.clear();
});

test('package view policy: same package clause, tests only for tests, //go:build ignore apart', () => {
  const files: Record<string, string> = {
    '/w/p/a.go': 'package p\n',
    '/w/p/b_linux.go': '//go:build linux\n\npackage p\n',
    '/w/p/gen.go': '//go:build ignore\n\npackage main\n',
    '/w/p/tool.go': '//go:build ignore\n\npackage p\n',
    '/w/p/a_test.go': 'package p\n',
    '/w/p/ext_test.go': 'package p_test\n',
    '/w/p/z.go': 'package p\n',
  };
  const source = memSource(files);
  const store = new FactStore(languages, source);
  const ws = new RecordingWorkspace(['/w'], source, store);
  const members = (f: string): string[] => {
    const file = parser.parse(f, files[f]);
    try {
      return ws.goPackage(file).others().map((p) => path.basename(p));
    } finally {
      file.dispose();
    }
  };
  assert.deepEqual(members('/w/p/a.go'), ['b_linux.go', 'z.go']);
  assert.deepEqual(members('/w/p/a_test.go'), ['a.go', 'b_linux.go', 'z.go']);
  assert.deepEqual(members('/w/p/ext_test.go'), [], 'an external test package stands apart');
  assert.ok(ws.dependencies.has('/w/p'), 'the directory listing is a dependency');
  assert.ok(ws.dependencies.has('/w/p/z.go'), 'members are dependencies');
  assert.equal(store.factOf('/w/p/gen.go', GO_FILE_HEADER)?.ignored, true);
  store.clear();
});
