// The hover over a finding, through the built dist/server.js with the real rules: the figures the rule
// attached (labelled by its meta.figures, rendered by one generic function), the message and the docs links;
// and the Unnecessary tag on unused-ignore diagnostics.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticTag, HoverRequest, MarkupKind, type Hover, type MarkupContent, type Position } from 'vscode-languageserver-protocol';
import { LspClient, ROOT, builtServer, makeWorkspace } from './support/client';
import { fixtureDir } from '../support/harness';

const GO = `package main

// café 🚀
type Order struct {
	ID    [64]byte
	Items [20]int64
}

func total() (n int) {
	batch := make([]Order, 1000)
	for _, o := range batch {
		n += len(o.ID)
	}
	return n
}

// shipshape:ignore go/unclosed-body
func quiet() {}
`;

async function hover(client: LspClient, uri: string, position: Position): Promise<Hover | null> {
  return client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
}

function markdownOf(h: Hover | null): string {
  assert.ok(h, 'a hover');
  const c = h.contents as MarkupContent;
  assert.equal(c.kind, MarkupKind.Markdown);
  return c.value;
}

test('hover on a finding shows the cost in the concrete case, the message and the docs links', async () => {
  const folder = makeWorkspace({ 'go.mod': 'module example.com/shop\n\ngo 1.22\n', 'main.go': GO });
  const client = await LspClient.start(builtServer(), { folder });
  try {
    const uri = await client.open(path.join(folder, 'main.go'), GO, 'go');
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    const d = diagnostics.find((x) => x.code === 'go/large-struct-range-copy');
    assert.ok(d, `go/large-struct-range-copy among ${diagnostics.map((x) => x.code).join(', ')}`);
    const h = await hover(client, uri, d.range.start);
    const md = markdownOf(h);
    assert.deepEqual(h?.range, d.range);
    assert.equal(md.split('\n')[0], '**Range loop copies a large struct per iteration** · `go/large-struct-range-copy` (info)');
    assert.ok(md.includes('range value o copies 224 bytes of Order per iteration'), md);
    assert.ok(md.includes('- Size of one element: **224 B**'), md);
    assert.ok(md.includes('- Elements (known length): **1,000**'), md);
    assert.ok(md.includes('- Copied per pass over the loop: **219 KiB (224,000 bytes)**'), md);
    assert.match(md, /\[Rule documentation\]\(https:\/\/\S+\/docs\/rules\/go\/large-struct-range-copy\.md\)/);
    // The offline page, through the server's show-docs command.
    const bundled = pathToFileURL(path.join(ROOT, 'docs', 'rules', 'go', 'large-struct-range-copy.md')).href;
    assert.ok(md.includes(`[Open offline](command:shipshape.showRuleDocs?${encodeURIComponent(JSON.stringify([bundled]))})`), md);

    // Nothing there: no hover.
    assert.equal(await hover(client, uri, { line: 0, character: 2 }), null);

    // The directive that suppresses nothing is faded (Unnecessary), as VS Code does for unused code.
    const unused = diagnostics.find((x) => x.code === 'shipshape/unused-ignore');
    assert.ok(unused);
    assert.deepEqual(unused.tags, [DiagnosticTag.Unnecessary]);
    assert.equal(d.tags, undefined);
  } finally {
    await client.shutdown();
  }
});

test('hover on a Kubernetes finding shows the memory limit, the suggested GOMEMLIMIT and the headroom', async () => {
  const dir = path.join(fixtureDir('k8s/gomemlimit-missing'), 'shop');
  const file = path.join(dir, 'deploy', 'deployment.yaml');
  const text = fs.readFileSync(file, 'utf8');
  const client = await LspClient.start(builtServer(), { folder: dir });
  try {
    const uri = await client.open(file, text, 'yaml');
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    const d = diagnostics.find((x) => x.code === 'k8s/gomemlimit-missing' && /container api .*512Mi/.test(typeof x.message === 'string' ? x.message : x.message.value));
    assert.ok(d);
    const md = markdownOf(await hover(client, uri, d.range.start));
    assert.ok(md.includes('- Memory limit (limits.memory): **512 MiB (536,870,912 bytes)**'), md);
    assert.ok(md.includes('- Suggested GOMEMLIMIT: **409MiB**'), md);
    assert.ok(md.includes('- Headroom for stacks, runtime and non-Go memory: **103 MiB (108,003,328 bytes)**'), md);
  } finally {
    await client.shutdown();
  }
});

test('the server answers a hover on one file while it analyses a large other one', async () => {
  const parts = ['package svc\n\nimport (\n\t"net/http"\n\t"regexp"\n)\n'];
  for (let i = 0; i < 600; i++) {
    parts.push(`\nfunc Handle${i}(w http.ResponseWriter, r *http.Request) {\n\tre := regexp.MustCompile("a+b${i}")\n\tresp, _ := http.Get("http://x/${i}")\n\t_ = resp\n\tgo func() { _ = re }()\n}\n`);
  }
  const big = parts.join('');
  const folder = makeWorkspace({ 'go.mod': 'module example.com/shop\n\ngo 1.22\n', 'main.go': GO, 'svc/big.go': big });
  const client = await LspClient.start(builtServer(), { folder });
  try {
    const small = await client.open(path.join(folder, 'main.go'), GO, 'go');
    const { diagnostics } = await client.diagnosticsFor(small, 1);
    const d = diagnostics.find((x) => x.code === 'go/large-struct-range-copy');
    assert.ok(d);
    const bigUri = await client.open(path.join(folder, 'svc/big.go'), big, 'go');
    // Let the big file's analysis start (the change debounce), then ask about the small one.
    await new Promise((resolve) => setTimeout(resolve, 400));
    const order: string[] = [];
    const bigDone = client.waitFor((p) => p.uri === bigUri, 120_000).then(() => order.push('big diagnostics'));
    const h = await hover(client, small, d.range.start);
    order.push('hover');
    assert.ok(h);
    await bigDone;
    assert.deepEqual(order, ['hover', 'big diagnostics']);
  } finally {
    await client.shutdown();
  }
});
