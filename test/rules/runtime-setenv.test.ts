// go/runtime-setenv's safe fix under fix-all: several sites in one file leave it compiling
// (imports added once, `os` kept while used), and sites that are the only uses of `os` get no fix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Engine } from '../../server/src/engine/analyze';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { engineFixTarget, fixAll } from '../../server/src/engine/fixes';
import type { FileSource } from '../../server/src/engine/workspace';
import { RULES } from '../../server/src/rules/index';

let engine: Engine;
let files: Record<string, string> = {};
const source: FileSource = {
  readText: (p) => files[p],
  listDir: () => undefined,
  versionOf: (p) => (p in files ? String(files[p].length) : undefined),
};
before(async () => {
  engine = await Engine.create(RULES, source);
});
after(() => {
  engine.dispose();
});

function fixed(text: string): { count: number; text: string } {
  const file = '/ws/main.go';
  files = { '/ws/go.mod': 'module example.com/x\n\ngo 1.22\n', [file]: text };
  const config = new StaticConfigResolver(RULES, {}, '/ws');
  const options = { config: config.forFile(file), roots: ['/ws'], onlyRules: new Set(['go/runtime-setenv']) };
  const count = engine.analyze({ path: file, text }, options).findings.length;
  return { count, text: fixAll(engineFixTarget(engine, { path: file, text }, options)).text };
}

test('fix-all replaces every site, imports runtime/debug once and keeps os while it is used', () => {
  const r = fixed('package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n\tos.Setenv("GOGC", "50")\n\tos.Setenv("GOMEMLIMIT", "1GiB")\n\tos.Setenv("GOMAXPROCS", "2")\n\tfmt.Println(os.Args)\n}\n');
  assert.equal(r.count, 3);
  assert.equal(r.text, 'package main\n\nimport (\n\t"fmt"\n\t"os"\n\t"runtime"\n\t"runtime/debug"\n)\n\nfunc main() {\n\tdebug.SetGCPercent(50)\n\tdebug.SetMemoryLimit(1 << 30)\n\truntime.GOMAXPROCS(2)\n\tfmt.Println(os.Args)\n}\n');
});

test('two sites that are the only uses of os get no fix (either alone would leave os unused)', () => {
  const text = 'package main\n\nimport "os"\n\nfunc main() {\n\tos.Setenv("GOGC", "50")\n\tos.Setenv("GOMAXPROCS", "2")\n}\n';
  const r = fixed(text);
  assert.equal(r.count, 2);
  assert.equal(r.text, text);
});
