import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, Registry, parseRawGrammar, type IGrammar, type IRawGrammar } from 'vscode-textmate';

const root = path.resolve(__dirname, '..', '..');
const require = createRequire(path.join(root, 'package.json'));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  contributes: { grammars: { scopeName: string; path: string; injectTo: string[] }[] };
};
const contributions = pkg.contributes.grammars.filter((g) => g.scopeName.startsWith('shipshape.'));

// Stand-ins for the host grammars, scoping comments as VS Code's grammars do: Go and YAML
// comments are begin/end rules, a Dockerfile comment line is one match rule.
const HOSTS: Record<string, IRawGrammar> = {
  'source.go': raw('source.go', [
    { begin: '(//)', end: '(?:\\n|$)', name: 'comment.line.double-slash.go' },
    { begin: '(/\\*)', end: '(\\*/)', name: 'comment.block.go' },
    { match: '"[^"]*"', name: 'string.quoted.double.go' },
  ]),
  'source.dockerfile': raw('source.dockerfile', [
    { match: '^(\\s*)((#).*$\\n?)', captures: { 2: { name: 'comment.line.number-sign.dockerfile' } } },
    { match: '^\\s*(FROM|RUN|CMD)\\b', name: 'keyword.other.special-method.dockerfile' },
  ]),
  'source.yaml': raw('source.yaml', [{ begin: '(?:^[ \\t]*|[ \\t]+)(#)', end: '$', name: 'comment.line.number-sign.yaml' }]),
};

function raw(scopeName: string, patterns: unknown[]): IRawGrammar {
  return parseRawGrammar(JSON.stringify({ scopeName, patterns }), `${scopeName}.json`);
}

async function grammarFor(scope: string): Promise<IGrammar> {
  const wasm = fs.readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async (name) => {
      const own = contributions.find((c) => c.scopeName === name);
      if (own) return parseRawGrammar(fs.readFileSync(path.join(root, own.path), 'utf8'), path.join(root, own.path));
      return HOSTS[name] ?? null;
    },
    getInjections: (name) => contributions.filter((c) => c.injectTo.includes(name)).map((c) => c.scopeName),
  });
  const grammar = await registry.loadGrammar(scope);
  if (!grammar) throw new Error(`no grammar for ${scope}`);
  return grammar;
}

/** Text of each token that carries a scope starting with `prefix`. */
async function scoped(scope: string, line: string, prefix: string): Promise<string[]> {
  const grammar = await grammarFor(scope);
  const { tokens } = grammar.tokenizeLine(line, INITIAL);
  return tokens.filter((t) => t.scopes.some((s) => s.startsWith(prefix))).map((t) => line.slice(t.startIndex, t.endIndex));
}

test('the injection grammars are valid JSON, contributed in package.json and injected into Go, Dockerfile and YAML', () => {
  assert.deepEqual([...new Set(contributions.flatMap((c) => c.injectTo))].sort(), ['source.dockerfile', 'source.go', 'source.yaml']);
  for (const c of contributions) {
    const grammar = JSON.parse(fs.readFileSync(path.join(root, c.path), 'utf8')) as { scopeName: string; injectionSelector: string };
    assert.equal(grammar.scopeName, c.scopeName);
    assert.ok(grammar.injectionSelector);
  }
});

test('Go: line and block comments scope the directive, its ids and reason', async () => {
  const line = '\tresp, _ := http.Get(u) // shipshape:ignore go/unclosed-body,go/x -- closed by the caller';
  assert.deepEqual(await scoped('source.go', line, 'keyword.control.directive.shipshape'), ['shipshape:ignore']);
  assert.deepEqual(await scoped('source.go', line, 'entity.name.tag.rule-id.shipshape'), ['go/unclosed-body,go/x']);
  assert.deepEqual(await scoped('source.go', line, 'string.unquoted.reason.shipshape'), ['closed by the caller']);
  assert.deepEqual(await scoped('source.go', '/* shipshape:ignore-file go/x */', 'entity.name.tag.rule-id.shipshape'), ['go/x']);
  assert.deepEqual(await scoped('source.go', '/* shipshape:ignore-file go/x */', 'keyword.control.directive.shipshape'), ['shipshape:ignore-file']);
});

test('Go: the directive text outside a comment is not scoped', async () => {
  assert.deepEqual(await scoped('source.go', 'x := "shipshape:ignore go/x"', 'keyword.control.directive.shipshape'), []);
});

test('Dockerfile and YAML comments scope the directive; other Dockerfile lines are left alone', async () => {
  assert.deepEqual(await scoped('source.dockerfile', 'RUN echo shipshape:ignore x', 'keyword.control.directive.shipshape'), []);
  assert.deepEqual(await scoped('source.dockerfile', '# an ordinary comment', 'comment.line.number-sign.dockerfile'), ['# an ordinary comment']);
  assert.deepEqual(await scoped('source.dockerfile', '# shipshape:ignore docker/x', 'comment.line.number-sign.dockerfile').then((t) => t.join('')), '# shipshape:ignore docker/x');
  assert.deepEqual(await scoped('source.dockerfile', '# shipshape:ignore docker/latest-tag -- base image pinned by digest upstream', 'keyword.control.directive.shipshape'), ['shipshape:ignore']);
  assert.deepEqual(await scoped('source.yaml', '        - name: api   # shipshape:ignore k8s/no-limits', 'entity.name.tag.rule-id.shipshape'), ['k8s/no-limits']);
  assert.deepEqual(await scoped('source.yaml', '# shipshape:ignore-file k8s/no-limits', 'keyword.control.directive.shipshape'), ['shipshape:ignore-file']);
});
