import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SourceText } from '../../server/src/core/source-text';
import { parseDirectives, Suppressions } from '../../server/src/core/directives';
import type { Finding, Span } from '../../server/src/core/finding';
import { yamlComments } from '../../server/src/languages/k8s/parser';

function spansOf(text: string, markers: string[]): Span[] {
  return markers.map((m) => ({ start: text.indexOf(m), end: text.indexOf(m) + m.length }));
}

function finding(ruleId: string, text: string, at: string): Finding {
  const start = text.indexOf(at);
  return { ruleId, file: 'f', span: { start, end: start + at.length }, message: '', severity: 'warning', fixes: [], key: '' };
}

test('trailing directive covers its own line; reason after -- is kept', () => {
  const text = 'a := 1\nresp, _ := http.Get(u) // shipshape:ignore go/unclosed-body -- closed by caller\n';
  const d = parseDirectives(new SourceText(text), spansOf(text, ['// shipshape:ignore go/unclosed-body -- closed by caller']));
  assert.equal(d.length, 1);
  assert.equal(d[0].targetLine, 1);
  assert.equal(d[0].reason, 'closed by caller');
  assert.deepEqual(d[0].ruleIds.map((r) => r.id), ['go/unclosed-body']);
});

test('directive alone on a line covers the next non-comment line, several ids', () => {
  const text = '// shipshape:ignore go/a, go/b\n// another comment\n\nresp := x\n';
  const src = new SourceText(text);
  const d = parseDirectives(src, spansOf(text, ['// shipshape:ignore go/a, go/b', '// another comment']));
  assert.equal(d[0].targetLine, 3);
  const s = new Suppressions(d, src);
  assert.equal(s.isSuppressed(finding('go/a', text, 'resp')), true);
  assert.equal(s.isSuppressed(finding('go/b', text, 'resp')), true);
  assert.equal(s.isSuppressed(finding('go/c', text, 'resp')), false);
  assert.deepEqual(s.unused(), []);
});

test('ignore-file covers every line; unused ids are reported', () => {
  const text = '# shipshape:ignore-file k8s/missing-limits,k8s/missing-probes\nkind: Pod\nspec: {}\n';
  const src = new SourceText(text);
  const d = parseDirectives(src, yamlComments(text));
  const s = new Suppressions(d, src);
  assert.equal(s.isSuppressed(finding('k8s/missing-limits', text, 'spec')), true);
  assert.deepEqual(s.unused().map((u) => u.ruleId.id), ['k8s/missing-probes']);
});

test('prose that mentions the directive is not one; a # inside a YAML string is not a comment', () => {
  const text = 'a: "# shipshape:ignore k8s/x"\n# see shipshape:ignore in the docs\nb: 1\n';
  const d = parseDirectives(new SourceText(text), yamlComments(text));
  assert.deepEqual(d, []);
});

test('Dockerfile directive above an instruction, with CRLF', () => {
  const text = 'FROM golang:1.22\r\n# shipshape:ignore docker/shell-form-entrypoint\r\nCMD ./server\r\n';
  const src = new SourceText(text);
  const d = parseDirectives(src, spansOf(text, ['# shipshape:ignore docker/shell-form-entrypoint']));
  assert.equal(d[0].targetLine, 2);
  assert.equal(new Suppressions(d, src).isSuppressed(finding('docker/shell-form-entrypoint', text, 'CMD ./server')), true);
});
