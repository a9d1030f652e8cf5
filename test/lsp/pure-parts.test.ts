// The LSP layer's pure pieces, without a server: settings, minimal edits, ignore directives.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyEdits } from '../../server/src/engine/fixes';
import { SourceText } from '../../server/src/core/source-text';
import { minimalEdits } from '../../server/src/lsp/minimal-edits';
import { ignoreFileEdit, ignoreLineEdit } from '../../server/src/lsp/ignore-edits';
import { goDirectiveSyntax } from '../../server/src/languages/go/adapter';
import { dockerAdapter } from '../../server/src/languages/docker/adapter';
import { k8sAdapter } from '../../server/src/languages/k8s/adapter';
import { normalizeSettings } from '../../server/src/lsp/settings';
import { RuleSettingValidator } from '../../server/src/engine/config/rule-settings';
import { RULES } from '../../server/src/rules/index';
import { applyChange } from '../../server/src/lsp/document-store';
import { applyChanges } from '../../server/src/engine/incremental';
import { TextDocument } from 'vscode-languageserver-textdocument';

test('settings: defaults for missing or junk values; rule settings checked against the registry schema, problems named', () => {
  const validator = new RuleSettingValidator(RULES);
  assert.deepEqual(normalizeSettings(null, validator).settings, { enable: true, run: 'onType', trace: 'off', config: { rules: {}, exclude: [], maxFileSize: 5 * 1024 * 1024 } });
  const { settings, problems } = normalizeSettings({
    enable: false,
    run: 'sometimes',
    trace: { server: 'verbose' },
    rules: {
      'go/unclosed-body': 'error',
      'go/missing-context': { severity: 'off' },
      'go/string-concat-in-loop': { options: { smallLoop: 3 } },
      'go/unbounded-goroutine': 'loud',
      'go/unclosed-bodies': 'error',
      'go/large-struct-range-copy': { severity: 'info', options: { smallLoop: 3 } },
      'go/sub-slice-retention': { options: { reportParameters: 'yes' } },
    },
    exclude: ['gen/**', 3, ''],
    maxFileSize: -1,
  }, validator);
  assert.deepEqual(settings, {
    enable: false,
    run: 'onType',
    trace: 'verbose',
    config: {
      rules: {
        'go/unclosed-body': 'error',
        'go/missing-context': { severity: 'off' },
        'go/string-concat-in-loop': { options: { smallLoop: 3 } },
        // The unknown option is dropped; the valid severity beside it is kept.
        'go/large-struct-range-copy': { severity: 'info' },
      },
      exclude: ['gen/**'],
      maxFileSize: 5 * 1024 * 1024,
    },
  });
  const text = problems.join('\n');
  assert.match(text, /shipshape.run/);
  assert.match(text, /go\/unbounded-goroutine.*severity must be one of/);
  assert.match(text, /unknown rule id "go\/unclosed-bodies".*go\/unclosed-body/);
  assert.match(text, /unknown option "smallLoop" of go\/large-struct-range-copy/);
  assert.match(text, /maxFileSize/);
});

test('settings: an option value outside its schema is refused as .shipshape.yaml refuses it', () => {
  const validator = new RuleSettingValidator(RULES);
  const problems: string[] = [];
  assert.equal(validator.check('go/string-concat-in-loop', { options: { smallLoop: 'many' } }, 'x', problems), undefined);
  assert.equal(validator.check('go/string-concat-in-loop', { options: { smallLoop: -1 } }, 'x', problems), undefined);
  assert.equal(validator.check('go/string-concat-in-loop', { options: { smallLoop: 2.5 } }, 'x', problems), undefined);
  assert.deepEqual(validator.check('go/string-concat-in-loop', { options: { smallLoop: 0 } }, 'x', problems), { options: { smallLoop: 0 } });
  assert.equal(problems.length, 3, problems.join('\n'));
  assert.match(problems[0], /x\.options\.smallLoop: "many" must be integer/);
});

test('minimal edits: small, never the whole document, and they rebuild the target (property)', () => {
  const before = 'package main\r\n\r\n// café 🚀\r\nfunc main() {\r\n\tfmt.Println("a"); fmt.Println("b")\r\n}\r\n';
  const after = before.replaceAll('Println', 'Printf');
  const edits = minimalEdits(before, after);
  assert.equal(applyEdits(before, edits), after);
  assert.ok(edits.every((e) => e.end - e.start <= 2 && e.newText.length <= 1), JSON.stringify(edits));
  fc.assert(
    fc.property(fc.array(fc.constantFrom('a', 'b', '\n', '\r\n', '\t', 'é', '🚀', 'fmt.Println(x)'), { maxLength: 30 }), fc.array(fc.constantFrom('a', 'b', '\n', '\r\n', 'é', '🚀', 'x'), { maxLength: 30 }), (x, y) => {
      const a = x.join('');
      const b = y.join('');
      assert.equal(applyEdits(a, minimalEdits(a, b)), b);
    }),
  );
});

test('ignore on this line: a directive above, indented like the line, or the id added to one already there', () => {
  const go = new SourceText('package main\n\nfunc f() {\n\t// café 🚀\n\thttp.Get(u)\n}\n');
  const at = go.text.indexOf('http.Get');
  assert.equal(applyEdits(go.text, [ignoreLineEdit(go, goDirectiveSyntax, 'go/x', at)]), go.text.replace('\thttp.Get', '\t// shipshape:ignore go/x\n\thttp.Get'));
  const already = new SourceText('func f() {\n\t// shipshape:ignore go/x -- reason\n\thttp.Get(u)\n}\n');
  assert.equal(
    applyEdits(already.text, [ignoreLineEdit(already, goDirectiveSyntax, 'go/y', already.text.indexOf('http'))]),
    already.text.replace('go/x -- reason', 'go/x,go/y -- reason'),
  );
  const docker = new SourceText('FROM a\r\n  RUN b\r\n');
  assert.equal(applyEdits(docker.text, [ignoreLineEdit(docker, dockerAdapter, 'docker/x', docker.text.indexOf('RUN'))]), 'FROM a\r\n  # shipshape:ignore docker/x\r\n  RUN b\r\n');
});

test('ignore in this file: after the Go package clause, after Dockerfile parser directives, atop YAML; extends an existing one', () => {
  const go = new SourceText('// Package main is the server.\npackage main\n\nimport "net/http"\n');
  assert.equal(applyEdits(go.text, [ignoreFileEdit(go, goDirectiveSyntax, 'go/x')]), go.text.replace('package main\n', 'package main\n// shipshape:ignore-file go/x\n'));
  const docker = new SourceText('# syntax=docker/dockerfile:1\n# escape=`\nFROM a\n');
  assert.equal(applyEdits(docker.text, [ignoreFileEdit(docker, dockerAdapter, 'docker/x')]), '# syntax=docker/dockerfile:1\n# escape=`\n# shipshape:ignore-file docker/x\nFROM a\n');
  const yaml = new SourceText('apiVersion: v1\nkind: Pod\n');
  assert.equal(applyEdits(yaml.text, [ignoreFileEdit(yaml, k8sAdapter, 'k8s/x')]), `# shipshape:ignore-file k8s/x\n${yaml.text}`);
  const existing = new SourceText('# shipshape:ignore-file k8s/a\napiVersion: v1\n');
  assert.equal(applyEdits(existing.text, [ignoreFileEdit(existing, k8sAdapter, 'k8s/x')]), existing.text.replace('k8s/a', 'k8s/a,k8s/x'));
  const noNewline = new SourceText('package main');
  assert.equal(applyEdits(noNewline.text, [ignoreFileEdit(noNewline, goDirectiveSyntax, 'go/x')]), 'package main\n// shipshape:ignore-file go/x\n');
});

test('document store: each incremental change becomes UTF-16 offsets into the text it applied to (CRLF, emoji)', () => {
  const original = 'package main\r\n// café 🚀\r\nfunc f() {}\r\n';
  const doc = TextDocument.create('file:///a.go', 'go', 1, original);
  const changes = [
    applyChange(doc, { range: { start: { line: 1, character: 10 }, end: { line: 1, character: 10 } }, text: '!' }, 2),
    applyChange(doc, { range: { start: { line: 2, character: 5 }, end: { line: 2, character: 6 } }, text: 'g' }, 2),
    applyChange(doc, { text: doc.getText().replace('main', 'x') }, 2),
  ];
  assert.equal(changes[0].start, original.indexOf('🚀') + 2);
  assert.equal(applyChanges(original, changes), doc.getText());
  assert.equal(doc.getText(), 'package x\r\n// café 🚀!\r\nfunc g() {}\r\n');
});
