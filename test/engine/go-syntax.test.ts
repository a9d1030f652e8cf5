// The shared Go syntax helpers (parsers/go-syntax.ts, go-scope.ts, go-edits.ts, go-types.ts,
// go-lifetime.ts): navigation, scopes, edits that keep indentation and line endings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'web-tree-sitter';
import { GoParser, type GoFile } from '../../server/src/languages/go/parser';
import {
  describeCall, enclosingFunction, enclosingLoop, enclosingStatement, initializerOwner, isErrNilCheck, isTerminating,
  nextStatement, nilComparison, selectorPath, statementsAfter,
} from '../../server/src/languages/go/syntax';
import { declaringScope, identifiersIn, referencesTo } from '../../server/src/languages/go/scope';
import { addGoImport, insertLineAfter, insertLineBefore, replaceNode } from '../../server/src/languages/go/edits/edits';
import { GoTypeResolver } from '../../server/src/languages/go/model/types';
import { namedTypeOf, readTypeFacts, resultTypes } from '../../server/src/languages/go/model/type-expr';
import { findLeakingExits } from '../../server/src/rules/go/unclosed-body/lifetime';
import { applyEdits } from '../../server/src/engine/fixes';

let parser: GoParser;
const files: GoFile[] = [];
before(async () => {
  parser = await GoParser.create();
});
after(() => {
  for (const f of files) f.dispose();
  parser.dispose();
});

function parse(text: string, name = '/w/x.go'): GoFile {
  const f = parser.parse(name, text);
  files.push(f);
  return f;
}

/** The smallest named node covering the first occurrence of `snippet` (optionally of a type). */
function nodeAt(f: GoFile, snippet: string, type?: string, nth = 0): Node {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = f.source.text.indexOf(snippet, at + 1);
  assert.ok(at >= 0, `snippet not found: ${snippet}`);
  let n: Node | null = f.root.namedDescendantForIndex(at, at + snippet.length);
  while (n && (n.startIndex > at || n.endIndex < at + snippet.length || (type && n.type !== type))) n = n.parent;
  assert.ok(n, `no ${type ?? 'node'} covers ${snippet}`);
  return n;
}

const SRC = `package p

import (
	"fmt"
	"net/http"
)

// café 🚀 日本
func fetch(c *http.Client, u string) error {
	resp, err := c.Get(u)
	if err != nil {
		return err
	}
	for i := 0; i < 3; i++ {
		resp := i
		fmt.Println(resp)
	}
	go func(resp int) { fmt.Println(resp) }(1)
	fmt.Println(resp.Status, s.client.Do)
	return nil
}
`;

test('navigation: enclosing function, statement, next statement, loops', () => {
  const f = parse(SRC);
  const call = nodeAt(f, 'c.Get(u)', 'call_expression');
  assert.equal(enclosingFunction(call)?.childForFieldName('name')?.text, 'fetch');
  const stmt = enclosingStatement(call);
  assert.equal(stmt?.type, 'short_var_declaration');
  assert.ok(isErrNilCheck(nextStatement(stmt) as Node, 'err'));
  assert.equal(statementsAfter(stmt).length, 5);
  assert.equal(enclosingLoop(call), undefined);
  assert.equal(enclosingLoop(nodeAt(f, 'fmt.Println(resp)', 'call_expression'))?.type, 'for_statement');
  // A loop outside a func literal does not count inside it.
  const g = parse('package p\nfunc f() {\n\tfor {\n\t\tgo func() { work() }()\n\t}\n}\n');
  assert.equal(enclosingLoop(nodeAt(g, 'work()', 'call_expression')), undefined);
});

test('describeCall and selectorPath', () => {
  const f = parse(SRC);
  const info = describeCall(nodeAt(f, 'c.Get(u)', 'call_expression'));
  assert.equal(info?.name, 'Get');
  assert.equal(info.receiverPath, 'c');
  assert.deepEqual(info.args.map((a) => a.text), ['u']);
  assert.equal(selectorPath(nodeAt(f, 's.client.Do', 'selector_expression')), 's.client.Do');
  const g = parse('package p\nfunc f() { g(xs...); (&T{}).Get(u) }\n');
  assert.equal(describeCall(nodeAt(g, 'g(xs...)', 'call_expression'))?.variadicSpread, true);
  assert.equal(describeCall(nodeAt(g, '(&T{}).Get(u)', 'call_expression'))?.receiverPath, undefined);
});

test('conditions: nil comparisons, err checks, terminating statements', () => {
  const f = parse('package p\nfunc f() {\n\tif (nil == err) { return }\n\tif err != nil || x { panic(err) }\n\tif err != nil { log.Fatalf("x") } else { return }\n}\n');
  const ifs = f.root.descendantsOfType('if_statement').filter((n): n is Node => !!n);
  assert.deepEqual(nilComparison(ifs[0].childForFieldName('condition')), { name: 'err', op: '==' });
  assert.equal(isErrNilCheck(ifs[1], 'err'), false, 'err != nil || x is not a plain check');
  assert.equal(isErrNilCheck(ifs[2], 'err'), true);
  assert.equal(isTerminating(ifs[1].childForFieldName('consequence') ?? undefined), true);
  assert.equal(isTerminating(ifs[2]), true, 'if/else both terminating');
  assert.equal(isTerminating(ifs[0].parent ?? undefined), false);
});

test('initializerOwner: if and switch initializers', () => {
  const f = parse('package p\nfunc f() {\n\tif v, err := g(); err != nil {\n\t}\n\tswitch x := h(); x {\n\t}\n}\n');
  assert.equal(initializerOwner(nodeAt(f, 'v, err := g()', 'short_var_declaration'))?.type, 'if_statement');
  assert.equal(initializerOwner(nodeAt(f, 'x := h()', 'short_var_declaration'))?.type, 'expression_switch_statement');
});

test('scopes: references honour shadowing by :=, params and nested scopes', () => {
  const f = parse(SRC);
  const decl = nodeAt(f, 'resp', 'identifier');
  const refs = referencesTo(f, decl).map((r) => f.source.lineCol(r.startIndex).line);
  // The declaration and the use in fmt.Println(resp.Status...): not the loop's or the literal's own resp.
  assert.deepEqual(refs, [10, 19]);
  const inner = nodeAt(f, 'resp', 'identifier', 1);
  assert.equal(f.source.lineCol(inner.startIndex).line, 15);
  assert.equal(declaringScope(inner)?.type, 'statement_list');
  assert.deepEqual(referencesTo(f, inner).map((r) => f.source.lineCol(r.startIndex).line), [15, 16]);
  const param = nodeAt(f, 'resp', 'identifier', 3);
  assert.equal(declaringScope(param)?.type, 'func_literal');
  assert.deepEqual(referencesTo(f, param).map((r) => f.source.lineCol(r.startIndex).line), [18, 18]);
  const body = enclosingFunction(decl)?.childForFieldName('body') as Node;
  const named = identifiersIn(f, body, 'resp');
  assert.ok(named.length > 0 && named.every((n, i) => n.type === 'identifier' && n.text === 'resp' && (i === 0 || named[i - 1].startIndex < n.startIndex)));
  // A package-level name is declared in no function scope.
  const g = parse('package p\nvar resp int\nfunc f() { resp = 1 }\n');
  assert.equal(declaringScope(nodeAt(g, 'resp = 1', 'assignment_statement').namedChildren[0]?.namedChildren[0] as Node), undefined);
});

test('insertLineAfter keeps indentation, \\n and \\r\\n, and non-ASCII offsets', () => {
  for (const eol of ['\n', '\r\n']) {
    const text = ['package p', '', '// café 🚀', 'func f() {', '\tx := "日本"', '\tuse(x)', '}', ''].join(eol);
    const f = parse(text);
    const stmt = nodeAt(f, 'x := "日本"', 'short_var_declaration');
    const out = applyEdits(text, [insertLineAfter(f.source, stmt.endIndex, 'defer done()')]);
    assert.equal(out, ['package p', '', '// café 🚀', 'func f() {', '\tx := "日本"', '\tdefer done()', '\tuse(x)', '}', ''].join(eol));
    const before = applyEdits(text, [insertLineBefore(f.source, stmt.startIndex, 'start()')]);
    assert.ok(before.includes(`{${eol}\tstart()${eol}\tx := "日本"`));
    assert.equal(applyEdits(text, [replaceNode(stmt, 'x := 1')]).includes('\tx := 1'), true);
  }
});

test('addGoImport: existing block, groups, single import, none, already imported', () => {
  const apply = (text: string, path: string): string => {
    const f = parse(text);
    return applyEdits(text, addGoImport(f, path));
  };
  const grouped = 'package p\n\nimport (\n\t"fmt"\n\t"os"\n\n\t"github.com/x/y"\n)\n';
  assert.equal(apply(grouped, 'io'), 'package p\n\nimport (\n\t"fmt"\n\t"io"\n\t"os"\n\n\t"github.com/x/y"\n)\n');
  assert.equal(apply(grouped, 'time'), 'package p\n\nimport (\n\t"fmt"\n\t"os"\n\t"time"\n\n\t"github.com/x/y"\n)\n');
  assert.equal(apply(grouped, 'example.com/a'), 'package p\n\nimport (\n\t"fmt"\n\t"os"\n\n\t"example.com/a"\n\t"github.com/x/y"\n)\n');
  assert.equal(apply('package p\n\nimport (\n\t"github.com/x/y"\n)\n', 'context'), 'package p\n\nimport (\n\t"context"\n\n\t"github.com/x/y"\n)\n');
  assert.equal(apply('package p\n\nimport "fmt"\n', 'context'), 'package p\n\nimport (\n\t"context"\n\t"fmt"\n)\n');
  assert.equal(apply('package p\n\nimport "fmt"\n', 'golang.org/x/sync/errgroup'), 'package p\n\nimport (\n\t"fmt"\n\n\t"golang.org/x/sync/errgroup"\n)\n');
  assert.equal(apply('package p\n\nfunc f() {}\n', 'time'), 'package p\n\nimport "time"\n\nfunc f() {}\n');
  assert.equal(apply(grouped, 'fmt'), grouped, 'already imported: no edit');
  const crlf = 'package p\r\n\r\nimport (\r\n\t"fmt"\r\n)\r\n';
  assert.equal(apply(crlf, 'net/http'), 'package p\r\n\r\nimport (\r\n\t"fmt"\r\n\t"net/http"\r\n)\r\n');
});

test('package decls and the type resolver: struct fields, vars, locals, params, results', () => {
  const f = parse(`package p

import "net/http"

type S struct {
	client *http.Client
	inner  Inner
}
type Inner struct{ hc http.Client }

var shared = &http.Client{}

func (s *S) get(u string) (*http.Response, error) { return nil, nil }

func f(s *S, p *http.Client) {
	a := &http.Client{}
	var b http.Client
	c := http.DefaultClient
	d := new(http.Client)
	use(s.client, s.inner.hc, shared, a, b, c, d, p, s.other)
}
`);
  const decls = readTypeFacts(f);
  const client = { k: 'ptr', elem: { k: 'qual', path: 'net/http', name: 'Client' } };
  const s = decls.types.S.type;
  assert.deepEqual(s.k === 'struct' ? s.fields.find((x) => x.name === 'client')?.type : undefined, client);
  assert.deepEqual(decls.vars.shared, client);
  assert.deepEqual(decls.methods['S.get'].results[0], { k: 'ptr', elem: { k: 'qual', path: 'net/http', name: 'Response' } });
  const types = GoTypeResolver.of(f);
  const args = describeCall(nodeAt(f, 'use(', 'call_expression'))?.args ?? [];
  const shown = args.map((a) => {
    const t = namedTypeOf(types.typeOf(a));
    return t ? `${t.pointer ? '*' : ''}${t.path}.${t.name}` : 'unknown';
  });
  assert.deepEqual(shown, [
    '*net/http.Client', 'net/http.Client', '*net/http.Client', '*net/http.Client', 'net/http.Client',
    '*net/http.Client', '*net/http.Client', '*net/http.Client', 'unknown',
  ]);
  const fn = nodeAt(f, 'func (s *S) get', 'method_declaration');
  assert.equal(resultTypes(fn, f.imports).length, 2);
});

test('lifetime: exits reached with the value still open', () => {
  const f = parse(`package p

func f() error {
	v, err := open()
	if err != nil {
		return err
	}
	if v.bad {
		return errBad
	}
	for _, x := range xs {
		if x {
			break
		}
	}
	release(v)
	return nil
}
`);
  const origin = nodeAt(f, 'v, err := open()', 'short_var_declaration');
  const release = nodeAt(f, 'release(v)', 'call_expression');
  const leaks = findLeakingExits({ origin, events: [release], errName: 'err', valueName: 'v' });
  assert.deepEqual(leaks.map((l) => [l.kind, f.source.lineCol(l.node.startIndex).line]), [['return', 9]]);
  assert.deepEqual(findLeakingExits({ origin, events: [], errName: 'err', valueName: 'v' }).map((l) => l.kind), ['return', 'return']);
});
