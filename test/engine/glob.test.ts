import { test } from 'node:test';
import assert from 'node:assert/strict';
import picomatch from 'picomatch';
import { compileGlob, globProblem } from '../../server/src/core/glob';
import { ConfigValidator } from '../../server/src/engine/config/config-file';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { RULES } from '../../server/src/rules/index';

const PATTERNS = [
  '**/*.go', '*.go', 'a/**', '**/x', '**', 'a/**/b', 'a*', '{a,b}/c', '{a,b/**}', 'a/*', '[a-c]x', '?', '**/*_test.go',
  'vendor/**', 'a.{go,yaml}', 'x/**/*', '**/', '@(a|b)', 'a{,.go}', '{a}', '\\*', 'a/**b', 'a**b', '!a', 'deploy/*.y?(a)ml',
  '**/{testdata,vendor}/**', 'k8s/**/*.{yaml,yml}', '+(a|b)c', '*(ab)', 'gen/**/zz_*.go', '**/*.pb.go', 'docs/**/*.md',
];
const PATHS = [
  'a', 'b', 'x', 'a/b', 'a/b/c', 'ab', 'b/c', 'b/x/y', 'a/', 'bx', '/x', '.x/a.go', 'main.go', 'cmd/api/main.go', 'a.go',
  'a.yaml', 'x/y', 'a/xb', 'a/x/b', 'axxb', '{a}', '*', 'deploy/app.yaml', 'deploy/app.yml', 'deploy/x/app.yaml', 'ababc',
  'abab', 'vendor/x/y.go', 'svc/testdata/a.go', 'k8s/base/dep.yaml', 'gen/a/zz_generated.go', 'api/v1/x.pb.go', 'docs/rules/a.md',
  'x_test.go', 'pkg/x_test.go', '../x.go', 'a/./b',
];

test('the linear matcher agrees with picomatch (dot: true) on common patterns', () => {
  for (const g of PATTERNS) {
    const ours = compileGlob(g);
    const theirs = picomatch(g, { dot: true });
    for (const p of PATHS) assert.equal(ours(p), theirs(p), `${g} against ${p}`);
  }
});

test('matchBase: a pattern without a slash is matched against the file name', () => {
  assert.equal(compileGlob('*_test.go', { matchBase: true })('a/b/x_test.go'), true);
  assert.equal(compileGlob('a/*.go', { matchBase: true })('b/a/x.go'), false);
  assert.equal(compileGlob('[!a]x')('bx'), true, 'bash semantics for [!…]');
});

test('hostile globs: rejected with a reason, or matched in linear time', () => {
  assert.match(globProblem('**/(a+)+$') ?? '', /parentheses are not glob syntax/);
  assert.match(globProblem('!(a|b)') ?? '', /negated extglobs/);
  assert.match(globProblem('x'.repeat(2000)) ?? '', /at most 1024/);
  assert.match(globProblem('@(a|b') ?? '', /unclosed/);
  const slow = ['*a'.repeat(12) + 'b', '**/+(a|aa)+(a|aa)$', '**/*(*(a))b', '{a,aa}'.repeat(20), '**/'.repeat(30) + 'b', '*(a|a)'.repeat(10) + 'b'];
  for (const g of slow) {
    const m = compileGlob(g);
    const t0 = performance.now();
    for (const n of [1000, 4000]) {
      m('a'.repeat(n) + '!');
      m(`${'a/'.repeat(n)}!`);
    }
    const ms = performance.now() - t0;
    assert.ok(ms < 2000, `${g}: ${ms.toFixed(0)} ms`);
  }
});

test('a hostile glob in .shipshape.yaml is a config problem at its node, and settings that bypass validation match nothing', () => {
  const text = 'exclude:\n  - vendor/**\n  - "**/(a+)+$"\noverrides:\n  - files: ["*_test.go", "!(x)"]\n    rules: {}\n';
  const checked = new ConfigValidator(RULES).check('.shipshape.yaml', text);
  assert.equal(checked.config, undefined);
  assert.deepEqual(checked.problems.map((p) => [p.line, p.message.split(':')[0]]), [[3, '"exclude.1"'], [5, '"overrides.0.files.1"']]);
  assert.match(checked.problems[0].message, /parentheses are not glob syntax/);
  const resolver = new StaticConfigResolver(RULES, { exclude: ['**/(a+)+$', 'gen/**'] }, '/w');
  const t0 = performance.now();
  assert.equal(resolver.isExcluded(`/w/${'a'.repeat(40)}!`), false);
  assert.equal(resolver.isExcluded('/w/gen/x.go'), true);
  assert.ok(performance.now() - t0 < 500);
});
