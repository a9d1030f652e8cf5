import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Engine } from '../../server/src/engine/analyze';
import { DiskFileSource } from '../../server/src/engine/disk';
import { StaticConfigResolver } from '../../server/src/engine/config/config';
import { collectFiles, auditFiles } from '../../server/src/engine/audit';
import { defineGoRule, defineK8sRule, defineDockerRule, type AnyRule } from '../../server/src/engine/rule';

// Test-only rules: a Go rule flagging calls to `panic`, one that throws, and YAML/Docker rules.
const panicRule = defineGoRule({
  id: 'go/test-panic',
  meta: { title: 't', description: 't', severity: 'warning', fixable: false, messages: { p: 'panic call {name}' } },
  queries: { call: '(call_expression function: (identifier) @fn (#eq? @fn "panic")) @call' },
  check(ctx, _file, m) {
    for (const c of m.call) ctx.report({ node: c.call, messageId: 'p', data: { name: c.fn.text } });
  },
});
const throwingRule = defineGoRule({
  id: 'go/test-throws',
  meta: { title: 't', description: 't', severity: 'info', fixable: false, messages: { x: 'x' } },
  queries: { pkg: '(package_clause) @p' },
  check() {
    throw new Error('boom');
  },
});
const kindRule = defineK8sRule({
  id: 'k8s/test-kind',
  meta: { title: 't', description: 't', severity: 'error', fixable: false, messages: { k: 'kind {kind}' } },
  check(ctx, file) {
    for (const d of file.docs) if (d.kind) ctx.report({ span: d.span, messageId: 'k', data: { kind: d.kind } });
  },
});
const fromRule = defineDockerRule({
  id: 'docker/test-from',
  meta: { title: 't', description: 't', severity: 'info', fixable: false, messages: { f: 'from' } },
  check(ctx, file) {
    for (const f of file.ast.getFROMs()) ctx.report({ span: file.spanOf(f.getRange()), messageId: 'f' });
  },
});
const RULES: AnyRule[] = [panicRule, throwingRule, kindRule, fromRule];

let engine: Engine;
let tmp: string;
before(async () => {
  engine = await Engine.create(RULES, new DiskFileSource(5 * 1024 * 1024));
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-engine-'));
});
after(() => {
  engine.dispose();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function analyze(file: string, text: string) {
  const config = new StaticConfigResolver(RULES, {}, tmp);
  return engine.analyze({ path: path.join(tmp, file), text }, { config: config.forFile(path.join(tmp, file)), roots: [tmp] });
}

test('web-tree-sitter gives UTF-16 offsets when it parses a JS string', () => {
  const text = 'package main\n// café 🚀 日本\nfunc f() { panic("x") }\n';
  const a = analyze('a.go', text);
  const f = a.findings.find((x) => x.ruleId === 'go/test-panic');
  assert.ok(f);
  assert.equal(f.span.start, text.indexOf('panic('));
  assert.equal(a.source.lineCol(f.span.start).column, 'func f() { '.length + 1);
});

test('a rule that throws becomes a notice; the other rules still report', () => {
  const a = analyze('b.go', 'package main\nfunc f() { panic(1) }\n');
  assert.ok(a.notices.some((n) => n.reason === 'internal-error' && n.message.includes('go/test-throws') && n.message.includes('boom')));
  assert.equal(a.findings.filter((f) => f.ruleId === 'go/test-panic').length, 1);
});

test('no finding inside a syntax error; half-typed Go still gets the rest', () => {
  const a = analyze('c.go', 'package main\nfunc f() { panic(1) }\nfunc g( { panic(2) \n');
  const lines = a.findings.filter((f) => f.ruleId === 'go/test-panic').map((f) => a.source.lineOf(f.span.start));
  assert.deepEqual(lines, [1]);
});

test('suppression directives apply; config severity wins; off disables', () => {
  const text = 'package main\nfunc f() {\n\tpanic(1) // shipshape:ignore go/test-panic\n\t// shipshape:ignore go/test-panic -- reason\n\tpanic(2)\n\tpanic(3)\n}\n';
  assert.equal(analyze('d.go', text).findings.filter((f) => f.ruleId === 'go/test-panic').length, 1);
  const config = new StaticConfigResolver(RULES, { rules: { 'go/test-panic': 'error', 'go/test-throws': 'off' } }, tmp);
  const file = path.join(tmp, 'd.go');
  const a = engine.analyze({ path: file, text }, { config: config.forFile(file), roots: [tmp] });
  assert.deepEqual(a.findings.map((f) => f.severity), ['error']);
  assert.deepEqual(a.notices, []);
});

test('YAML is a manifest only with apiVersion and kind; multi-document ranges are offsets', () => {
  assert.equal(analyze('ci.yaml', 'on: push\njobs: {}\n').kind, undefined);
  const text = '# café 🚀\napiVersion: v1\nkind: Service\n---\napiVersion: apps/v1\nkind: Deployment\n';
  const a = analyze('deploy.yaml', text);
  assert.equal(a.kind, 'k8s');
  assert.deepEqual(a.findings.map((f) => f.message), ['kind Service', 'kind Deployment']);
  assert.equal(a.findings[1].span.start, text.indexOf('apiVersion: apps/v1'));
});

test('Helm templates are skipped with a notice', () => {
  const a = analyze('tpl.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n  labels:\n    {{- include "x" . | nindent 4 }}\n');
  assert.equal(a.kind, undefined);
  assert.equal(a.notices[0]?.reason, 'helm-template');
});

test('Dockerfile ranges become offsets, with CRLF and non-ASCII', () => {
  const text = '# café 🚀\r\nFROM golang:1.22 AS build\r\nFROM scratch\r\n';
  const a = analyze('Dockerfile', text);
  assert.deepEqual(a.findings.map((f) => f.span.start), [text.indexOf('FROM golang'), text.indexOf('FROM scratch')]);
});

test('audit: skips vendor, generated, binary, oversized files and symlink loops, never crashes', () => {
  const root = path.join(tmp, 'ws');
  fs.mkdirSync(path.join(root, 'vendor/x'), { recursive: true });
  fs.mkdirSync(path.join(root, 'pkg'), { recursive: true });
  fs.writeFileSync(path.join(root, 'vendor/x/x.go'), 'package x\nfunc f() { panic(1) }\n');
  fs.writeFileSync(path.join(root, 'pkg/gen.go'), '// Code generated by protoc-gen-go. DO NOT EDIT.\n\npackage pkg\nfunc f() { panic(1) }\n');
  fs.writeFileSync(path.join(root, 'pkg/bin.go'), Buffer.from([0x70, 0x00, 0x01, 0x02]));
  fs.writeFileSync(path.join(root, 'pkg/big.go'), `package pkg\n// ${'x'.repeat(2 * 1024 * 1024)}\n`);
  fs.writeFileSync(path.join(root, 'pkg/empty.go'), '');
  fs.writeFileSync(path.join(root, 'pkg/ok.go'), 'package pkg\nfunc f() { panic(1) }\n');
  fs.symlinkSync(root, path.join(root, 'pkg/loop'));
  const config = new StaticConfigResolver(RULES, { maxFileSize: 1024 * 1024 }, root);
  const collected = collectFiles([root], config);
  assert.ok(!collected.files.some((f) => f.includes('vendor')));
  const result = auditFiles(engine, collected, { roots: [root], config });
  const reasons = Object.fromEntries(result.notices.filter((n) => n.reason !== 'internal-error').map((n) => [path.basename(n.file), n.reason]));
  assert.deepEqual(reasons, { 'big.go': 'too-large', 'bin.go': 'binary', 'gen.go': 'generated' });
  assert.deepEqual(result.findings.filter((f) => f.ruleId === 'go/test-panic').map((f) => path.basename(f.file)), ['ok.go']);
});
