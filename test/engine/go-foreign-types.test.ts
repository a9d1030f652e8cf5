// Types of other modules for go/large-struct-range-copy: a small module cache in a temporary folder
// (escaped paths, replace directives), vendor/ first, an untrusted workspace (no module cache) and a
// module missing from disk stay silent. The engine never runs `go`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RULES } from '../../server/src/rules/index';
import { Engine } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { escapeModulePath, goModuleCacheDir, moduleCachePackageDir } from '../../server/src/workspace/go-module-cache';
import { parseGoMod } from '../../server/src/languages/gomod/parser';
import { goEngineOptions } from '../../server/src/host-shared/go-env';

const RULE = 'go/large-struct-range-copy';
let tmp: string;

before(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-foreign-'));
});
after(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

// 7 strings (112) + int64 (8) + bool (1, padded): 128 bytes.
const BIG = `package orders

// Order is 128 bytes.
type Order struct {
	ID, Customer, Street, City, Zip, Country, Status string
	Total                                            int64
	Paid                                             bool
}
`;

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

const MAIN = `package main

import (
	"fmt"

	"github.com/Acme/Shop/orders"
)

func use(o orders.Order) { fmt.Println(o.ID) }

func main() {
	var all []orders.Order
	for _, o := range all {
		use(o)
	}
}
`;

/** A workspace with go.mod `goMod` and main.go ranging over []orders.Order. */
function workspace(name: string, goMod: string): string {
  const ws = path.join(tmp, name);
  write(path.join(ws, 'go.mod'), `module example.com/app\n\ngo 1.22\n\n${goMod}\n`);
  write(path.join(ws, 'main.go'), MAIN);
  return ws;
}

async function findings(ws: string, goModuleCache: string | undefined): Promise<string[]> {
  const engine = await Engine.create(RULES, new DiskFileSource(1 << 20), goModuleCache === undefined ? {} : { goModuleCache });
  try {
    const file = path.join(ws, 'main.go');
    const config = new StaticConfigResolver(RULES, {}, ws);
    const a = engine.analyze({ path: file, text: fs.readFileSync(file, 'utf8') }, { config: config.forFile(file), roots: [ws], onlyRules: new Set([RULE]) });
    return a.findings.map((f) => f.message);
  } finally {
    engine.dispose();
  }
}

test('module cache: a required module is read at its escaped path@version', async () => {
  const cache = path.join(tmp, 'modcache');
  write(path.join(cache, 'github.com/!acme/!shop@v1.2.0/orders/orders.go'), BIG);
  const ws = workspace('cached', 'require github.com/Acme/Shop v1.2.0');
  assert.deepEqual(await findings(ws, cache), ['range value o copies 128 bytes of orders.Order per iteration; range by index instead']);
});

test('module cache: untrusted (no module cache given) and missing modules stay silent', async () => {
  const cache = path.join(tmp, 'modcache2');
  write(path.join(cache, 'github.com/!acme/!shop@v1.2.0/orders/orders.go'), BIG);
  const ws = workspace('untrusted', 'require github.com/Acme/Shop v1.2.0');
  assert.deepEqual(await findings(ws, undefined), []);
  // Another version than the one on disk: not there, silent.
  const other = workspace('missing', 'require github.com/Acme/Shop v1.3.0');
  assert.deepEqual(await findings(other, cache), []);
  // Not required at all: silent.
  const none = workspace('unrequired', '');
  assert.deepEqual(await findings(none, cache), []);
});

test('vendor/ is read first, and without a module cache (untrusted)', async () => {
  const ws = workspace('vendored', 'require github.com/Acme/Shop v1.2.0');
  write(path.join(ws, 'vendor/modules.txt'), '# github.com/Acme/Shop v1.2.0\n## explicit\ngithub.com/Acme/Shop/orders\n');
  // The vendored copy (128 bytes) wins over a smaller one in the cache.
  write(path.join(ws, 'vendor/github.com/Acme/Shop/orders/orders.go'), BIG);
  const cache = path.join(tmp, 'modcache3');
  write(path.join(cache, 'github.com/!acme/!shop@v1.2.0/orders/orders.go'), 'package orders\n\ntype Order struct{ ID int64 }\n');
  assert.deepEqual(await findings(ws, cache), ['range value o copies 128 bytes of orders.Order per iteration; range by index instead']);
  assert.deepEqual(await findings(ws, undefined), ['range value o copies 128 bytes of orders.Order per iteration; range by index instead']);
});

test('replace: a local directory inside the workspace, or another module version in the cache', async () => {
  const local = workspace('replaced-local', 'require github.com/Acme/Shop v1.2.0\nreplace github.com/Acme/Shop => ./third_party/shop');
  write(path.join(local, 'third_party/shop/orders/orders.go'), BIG);
  assert.equal((await findings(local, undefined)).length, 1);

  const cache = path.join(tmp, 'modcache4');
  write(path.join(cache, 'github.com/acme/fork@v0.0.0-20240101000000-abcdef123456/orders/orders.go'), BIG);
  const forked = workspace('replaced-fork', 'require github.com/Acme/Shop v1.2.0\nreplace github.com/Acme/Shop v1.2.0 => github.com/acme/fork v0.0.0-20240101000000-abcdef123456');
  assert.equal((await findings(forked, cache)).length, 1);

  // A local replacement outside the workspace is not read (confinement), even when trusted.
  const outside = path.join(tmp, 'outside-shop');
  write(path.join(outside, 'orders/orders.go'), BIG);
  const escaping = workspace('replaced-outside', `require github.com/Acme/Shop v1.2.0\nreplace github.com/Acme/Shop => ../outside-shop`);
  assert.deepEqual(await findings(escaping, cache), []);
});

test('go.mod replace directives parse (block and single line, with and without versions)', () => {
  const mod = parseGoMod('module m\n\nreplace (\n\tgithub.com/a/b v1.0.0 => github.com/c/d v1.1.0\n\tgithub.com/e/f => ../f\n)\nreplace github.com/g/h => /abs/h // local\n');
  assert.deepEqual(mod.replaces, [
    { path: 'github.com/a/b', version: 'v1.0.0', newPath: 'github.com/c/d', newVersion: 'v1.1.0' },
    { path: 'github.com/e/f', newPath: '../f' },
    { path: 'github.com/g/h', newPath: '/abs/h' },
  ]);
});

test('module cache location and path escaping, as the go command computes them', () => {
  assert.equal(goModuleCacheDir({ GOMODCACHE: '/c/mod', GOPATH: '/g' }, '/home/u'), '/c/mod');
  assert.equal(goModuleCacheDir({ GOPATH: `/g1${path.delimiter}/g2` }, '/home/u'), path.join('/g1', 'pkg', 'mod'));
  assert.equal(goModuleCacheDir({}, '/home/u'), path.join('/home/u', 'go', 'pkg', 'mod'));
  assert.equal(goModuleCacheDir({ GOMODCACHE: 'relative' }, '/home/u'), undefined);
  assert.equal(goModuleCacheDir({}, undefined), undefined);
  assert.equal(escapeModulePath('github.com/BurntSushi/toml'), 'github.com/!burnt!sushi/toml');
  assert.equal(moduleCachePackageDir('/c', 'github.com/Azure/go-autorest', 'v14.2.0+incompatible', 'github.com/Azure/go-autorest/autorest/Date'),
    path.join('/c', 'github.com/!azure/go-autorest@v14.2.0+incompatible', 'autorest', 'Date'));
});

test('hosts: an untrusted workspace gets no module cache; a trusted one the go command\'s', () => {
  assert.deepEqual(goEngineOptions(false, { GOMODCACHE: '/c/mod' }), {});
  assert.deepEqual(goEngineOptions(true, { GOMODCACHE: '/c/mod' }), { goModuleCache: '/c/mod' });
});
