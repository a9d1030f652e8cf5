import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Languages } from '../../server/src/engine/languages';
import type { GoParser, GoFile } from '../../server/src/languages/go/parser';
import { extractFileTypeFacts, typeExprOf, type TypeExpr } from '../../server/src/languages/go/model/type-expr';
import { TypeSizer, packageTypeSizer, type Layout } from '../../server/src/languages/go/model/type-size';
import { GoPackageTypes } from '../../server/src/languages/go/model/decl-index';
import { STD_LAYOUTS } from '../../server/src/languages/go/model/type-std';
import { RecordingWorkspace, type FileSource } from '../../server/src/engine/workspace';
import { FactStore } from '../../server/src/engine/fact-store';

const GO = '/usr/lib/go-1.23/bin/go';
let languagesPromise: Promise<Languages> | undefined;
const languages = () => (languagesPromise ??= Languages.load());
const parser = async (): Promise<GoParser> => (await languages()).go.parser;

async function sizerFor(src: string): Promise<{ sizer: TypeSizer; file: GoFile }> {
  const file = (await parser()).parse('/tmp/pkg/a.go', src);
  return { sizer: new TypeSizer(new GoPackageTypes([extractFileTypeFacts(file)])), file };
}
const named = (name: string): TypeExpr => ({ k: 'name', name });

// --- generated structs, checked against the real compiler -------------------

/** Small seeded PRNG (mulberry32): the generated program is the same on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STD_ALIAS: Record<string, string> = {};
function stdRef(key: string): string {
  const dot = key.lastIndexOf('.');
  const pkgPath = key.slice(0, dot);
  STD_ALIAS[pkgPath] ??= `p${Object.keys(STD_ALIAS).length}`;
  const ref = `${STD_ALIAS[pkgPath]}.${key.slice(dot + 1)}`;
  return key === 'sync/atomic.Pointer' ? `${ref}[int]` : ref;
}

function generateProgram(): { source: string; names: string[] } {
  const rand = rng(20261123);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const basics = ['bool', 'int8', 'uint8', 'byte', 'int16', 'uint16', 'int32', 'rune', 'uint32', 'float32', 'int64', 'uint64',
    'float64', 'int', 'uint', 'uintptr', 'complex64', 'complex128', 'string', 'error', 'any', '*int', '[]string', 'map[string]int',
    'chan int', 'func()', 'interface{ M() }', 'struct{}', '[0]int64', 'unsafe.Pointer', 'Small', '[N]byte', '[M * 2]int16', 'Pair[int8, string]',
    'Pair[Small, [3]uint16]', 'Box[[2]int32]'];
  const std = Object.keys(STD_LAYOUTS).filter((k) => k !== 'unsafe.Pointer');
  const decls: string[] = [
    'const N = 3',
    'const (\n\tM = iota + 5\n\tK\n)',
    'type Small struct { a int8; b int16 }',
    'type Pair[K any, V any] struct { k K; v V }',
    'type Box[T any] struct { n int8; items T }',
    'type Flag bool',
    'type Empty struct{}',
    'type TrailZero struct { a int64; b struct{} }',
    'type TrailZeroArr struct { a int32; b [0]int64 }',
    'type Alias = Small',
    'type Nested struct { s Small; p Pair[bool, int64]; e Empty; f Flag }',
    'type Embeds struct { Small; *Nested; Flag; x [K]bool }',
    'type Big struct { id int64; name string; tags []string; meta map[string]string; at [4]float64; n Nested }',
  ];
  const names = ['Small', 'Pair[int8, string]', 'Box[[2]int32]', 'Flag', 'Empty', 'TrailZero', 'TrailZeroArr', 'Alias', 'Nested', 'Embeds', 'Big'];
  for (let i = 0; i < 60; i++) {
    const fields: string[] = [];
    const n = 1 + Math.floor(rand() * 7);
    for (let j = 0; j < n; j++) {
      const r = rand();
      let t = r < 0.15 ? stdRef(pick(std)) : pick(basics);
      if (rand() < 0.15) t = `[${1 + Math.floor(rand() * 4)}]${t}`;
      if (j > 0 && rand() < 0.1) t = `G${Math.floor(rand() * i)}`;
      fields.push(rand() < 0.1 && /^[A-Z]\w*$/.test(t) ? t : `f${j} ${t}`);
    }
    if (i > 0 && rand() < 0.2) fields.push(`G${Math.floor(rand() * i)}`); // embedded
    decls.push(`type G${i} struct {\n\t${fields.join('\n\t')}\n}`);
    names.push(`G${i}`);
  }
  for (const key of std) {
    const alias = `Std_${key.replace(/[^A-Za-z0-9]/g, '_')}`;
    decls.push(`type ${alias} = ${stdRef(key)}`);
    names.push(alias);
  }
  const imports = Object.entries(STD_ALIAS).map(([p, a]) => `\t${a} "${p}"`).join('\n');
  const prints = names.map((n) => `\tfmt.Println(${JSON.stringify(n)}, unsafe.Sizeof(*new(${n})), unsafe.Alignof(*new(${n})))`).join('\n');
  const source = `package main\n\nimport (\n\t"fmt"\n\t"unsafe"\n${imports}\n)\n\n${decls.join('\n\n')}\n\nfunc main() {\n${prints}\n}\n`;
  return { source, names };
}

test('layouts match unsafe.Sizeof/Alignof from the Go toolchain', { timeout: 120_000 }, async () => {
  assert.ok(fs.existsSync(GO), `the Go toolchain is required at ${GO} (scripts/ensure-test-deps.sh installs it)`);
  const { source, names } = generateProgram();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-sizes-'));
  try {
    fs.writeFileSync(path.join(dir, 'go.mod'), 'module sizes\n\ngo 1.21\n');
    fs.writeFileSync(path.join(dir, 'main.go'), source);
    const r = spawnSync(GO, ['run', '.'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, GOPROXY: 'off', GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOARCH: 'amd64', GOOS: 'linux', CGO_ENABLED: '0', GOCACHE: process.env.GOCACHE ?? path.join(os.tmpdir(), 'shipshape-gocache') },
    });
    assert.equal(r.status, 0, `go run failed:\n${r.stderr}`);
    const real = new Map<string, Layout>();
    for (const line of r.stdout.trim().split('\n')) {
      const m = /^(.*) (\d+) (\d+)$/.exec(line);
      assert.ok(m, `unexpected output line ${line}`);
      real.set(m[1], { size: Number(m[2]), align: Number(m[3]) });
    }
    const { sizer, file } = await sizerFor(source);
    const mismatches: string[] = [];
    for (const name of names) {
      const typeNode = (await parser()).parse('/tmp/t.go', `package p\nvar x ${name}`).root.descendantsOfType('var_spec')[0]?.childForFieldName('type');
      assert.ok(typeNode);
      const model = sizer.layoutOf(typeExprOf(typeNode, file.imports));
      const want = real.get(name);
      if (!model || model.size !== want?.size || model.align !== want.align) {
        mismatches.push(`${name}: model ${JSON.stringify(model)} go ${JSON.stringify(want)}`);
      }
    }
    assert.deepEqual(mismatches, [], `model disagrees with the compiler for ${mismatches.length} of ${names.length} types`);
    assert.ok(names.length >= 120);
    file.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

// --- unknowns and odd shapes -------------------------------------------------

test('unknown imported types, bare type parameters, cycles and non-constant lengths are unknown, never 0', async () => {
  const { sizer, file } = await sizerFor(`package p
import ext "example.com/ext"
import "time"
type A struct { x ext.Thing }
type G[T any] struct { v T }
type UsesT[T any] struct { g G[T] }
type Cyc struct { c Cyc2 }
type Cyc2 struct { c Cyc }
type Loop = Loop
type Dyn struct { b [n]byte }
type Known struct { t time.Time; g G[int32] }
type Unknown time.Ticker
`);
  assert.equal(sizer.layoutOf(named('A')), undefined);
  assert.equal(sizer.layoutOf(named('G')), undefined, 'generic without type arguments');
  assert.equal(sizer.layoutOf(named('UsesT')), undefined);
  assert.deepEqual(sizer.layoutOf({ k: 'name', name: 'UsesT', args: [named('int64')] }), { size: 8, align: 8 });
  assert.equal(sizer.layoutOf(named('Cyc')), undefined);
  assert.equal(sizer.layoutOf(named('Loop')), undefined);
  assert.equal(sizer.layoutOf(named('Dyn')), undefined);
  assert.equal(sizer.layoutOf(named('Unknown')), undefined);
  assert.equal(sizer.layoutOf(named('NotDeclared')), undefined);
  assert.deepEqual(sizer.layoutOf(named('Known')), { size: 32, align: 8 });
  file.dispose();
});

test('half-typed declarations never throw', async () => {
  const samples = ['package p\ntype T struct { a int; b', 'package p\ntype T [', 'package p\ntype X[T', 'package p\nconst (A = 1 <<\n', 'package p\ntype S struct { *', ''];
  for (const src of samples) {
    const { sizer, file } = await sizerFor(src);
    for (const n of ['T', 'X', 'S', 'A']) assert.doesNotThrow(() => sizer.layoutOf(named(n)));
    file.dispose();
  }
});

test('underlying resolves named slices and generic instantiations', async () => {
  const { sizer, file } = await sizerFor('package p\ntype Order struct{ id int }\ntype Orders []Order\ntype List[T any] []T\n');
  assert.deepEqual(sizer.underlying(named('Orders')), { k: 'slice', elem: named('Order') });
  assert.deepEqual(sizer.underlying({ k: 'name', name: 'List', args: [named('Order')] }), { k: 'slice', elem: named('Order') });
  file.dispose();
});

test('packageTypeSizer reads the package\'s other files through the workspace, skipping other packages', async () => {
  const p = await parser();
  const files: Record<string, string> = {
    '/w/svc/a.go': 'package svc\nvar xs []Record\n',
    '/w/svc/b.go': 'package svc\nimport "time"\ntype Record struct { at time.Time; id [Size]byte }\nconst Size = 40\n',
    '/w/svc/c_test.go': 'package svc_test\ntype Record struct{}\n',
  };
  const read: string[] = [];
  const source: FileSource = {
    readText: (f) => {
      read.push(f);
      return files[f];
    },
    listDir: (dir) => Object.keys(files).filter((f) => path.dirname(f) === dir).map((f) => path.basename(f)),
    versionOf: (f) => (f in files ? '1' : undefined),
  };
  const facts = new FactStore(await languages(), source);
  const ws = new RecordingWorkspace(['/w'], source, facts);
  const file = p.parse('/w/svc/a.go', files['/w/svc/a.go']);
  const sizer = packageTypeSizer(ws, file);
  assert.equal(packageTypeSizer(ws, file), sizer, 'memoised per workspace view and tree');
  assert.deepEqual(sizer.layoutOf(named('Record')), { size: 64, align: 8 });
  assert.deepEqual(read, ['/w/svc/b.go']);
  file.dispose();
  facts.clear();
});
