import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGoMod, compareGoVersions } from '../../server/src/languages/gomod/parser';

test('go.mod: module, go, toolchain, require blocks and comments', () => {
  const mod = parseGoMod('module example.com/shop // the shop\r\n\r\ngo 1.22.3\ntoolchain go1.23.1\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.0.12\n\t// comment\n\tgo.uber.org/automaxprocs v1.5.3 // indirect\n)\nrequire golang.org/x/sync v0.7.0\n');
  assert.equal(mod.module, 'example.com/shop');
  assert.equal(mod.go, '1.22.3');
  assert.equal(mod.toolchain, '1.23.1');
  assert.deepEqual(mod.requires.map((r) => r.path), ['github.com/go-chi/chi/v5', 'go.uber.org/automaxprocs', 'golang.org/x/sync']);
});

test('Go version comparison', () => {
  assert.ok(compareGoVersions('1.21', '1.22') < 0);
  assert.ok(compareGoVersions('1.22.1', '1.22') > 0);
  // As go/version: the language version 1.22 precedes its first release 1.22.0 (and its rc/beta builds).
  assert.ok(compareGoVersions('1.22.0', '1.22') > 0);
  assert.equal(compareGoVersions('1.22.0', 'go1.22.0'), 0);
  assert.ok(compareGoVersions('1.9', '1.10') < 0);
});
