// The code actions VS Code gets from Shipshape: the rule's fixes (one preferred), "ignore on this line",
// and source.fixAll.shipshape applying every safe fix of a file.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { applyAction, codeActions, ownSpot, diagnosticsOf, itWithRules, openEditor, restoreWorkspace } from './helpers';

const FETCH_FIXED = `	resp, err := http.Get("http://warehouse.internal/café/🚀?sku=" + sku)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
`;

describe('code actions', () => {
  afterEach(restoreWorkspace);

  it('offers Shipshape quick fixes; the preferred one adds defer resp.Body.Close() after the error check', async () => {
    const editor = await openEditor('main.go');
    const doc = editor.document;
    const before = doc.getText();
    const [d] = await diagnosticsOf(doc.uri, 'go/unclosed-body', 1, 30_000);
    const actions = await codeActions(doc.uri, ownSpot(doc.uri, d), vscode.CodeActionKind.QuickFix.value);
    const titles = actions.map((a) => a.title);
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1, `exactly one preferred fix among ${JSON.stringify(titles)}`);
    assert.match(preferred[0].title, /defer resp\.Body\.Close\(\)/);
    assert.ok(actions.some((a) => /ignore .*go\/unclosed-body.*line/i.test(a.title)), `an "ignore on this line" action among ${JSON.stringify(titles)}`);
    assert.ok(actions.some((a) => /ignore .*go\/unclosed-body.*file/i.test(a.title)), `an "ignore in this file" action among ${JSON.stringify(titles)}`);

    await applyAction(preferred[0]);
    assert.equal(doc.getText(), before.replace(
      FETCH_FIXED.replace('\tdefer resp.Body.Close()\n', ''), FETCH_FIXED), 'only the defer line was added');
    await diagnosticsOf(doc.uri, 'go/unclosed-body', 0);
  });

  it('"ignore on this line" inserts a shipshape:ignore directive and the diagnostic goes away', async () => {
    const editor = await openEditor('main.go');
    const doc = editor.document;
    const [d] = await diagnosticsOf(doc.uri, 'go/unclosed-body', 1, 30_000);
    const actions = await codeActions(doc.uri, ownSpot(doc.uri, d), vscode.CodeActionKind.QuickFix.value);
    const ignore = actions.find((a) => /ignore .*go\/unclosed-body.*line/i.test(a.title));
    assert.ok(ignore, 'an ignore-line action');
    await applyAction(ignore);
    const lines = doc.getText().split('\n');
    const callLine = lines.findIndex((l) => l.includes('http.Get('));
    const directive = /\/\/\s*shipshape:ignore go\/unclosed-body\b/;
    assert.ok(directive.test(lines[callLine]) || directive.test(lines[callLine - 1]),
      `the directive is on the flagged line or alone above it:\n${lines.slice(callLine - 1, callLine + 1).join('\n')}`);
    await diagnosticsOf(doc.uri, 'go/unclosed-body', 0);
  });

  it('source.fixAll.shipshape applies every safe fix in the file', async () => {
    const editor = await openEditor('report.go');
    const doc = editor.document;
    await diagnosticsOf(doc.uri, 'go/unclosed-body', 2, 30_000);
    const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length));
    const actions = await codeActions(doc.uri, whole, 'source.fixAll.shipshape');
    assert.equal(actions.length, 1, `one fix-all action, got ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.equal(actions[0].kind?.value, 'source.fixAll.shipshape');
    await applyAction(actions[0]);
    const text = doc.getText();
    assert.match(text, /resp, err := http\.Head\(url\)\n\tif err != nil \{\n\t\treturn false\n\t\}\n\tdefer resp\.Body\.Close\(\)\n/);
    assert.match(text, /resp, err := http\.Get\(url\)\n\tif err != nil \{\n\t\treturn nil, err\n\t\}\n\tdefer resp\.Body\.Close\(\)\n/);
    await diagnosticsOf(doc.uri, 'go/unclosed-body', 0);
  });

  itWithRules(['k8s/missing-limits'], 'fix-all leaves unsafe fixes (guessed limits) to the user', async () => {
    const editor = await openEditor('k8s/deployment.yaml');
    const doc = editor.document;
    const before = doc.getText();
    await diagnosticsOf(doc.uri, 'k8s/missing-limits', 1, 30_000);
    const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(before.length));
    for (const a of await codeActions(doc.uri, whole, 'source.fixAll.shipshape')) await applyAction(a);
    assert.doesNotMatch(doc.getText(), /limits:/, 'no guessed limits were inserted');
    await diagnosticsOf(doc.uri, 'k8s/missing-limits', 1);
  });

  itWithRules(['docker/shell-form-entrypoint'], 'the preferred Dockerfile fix rewrites ENTRYPOINT in exec form', async () => {
    const editor = await openEditor('Dockerfile');
    const doc = editor.document;
    const [d] = await diagnosticsOf(doc.uri, 'docker/shell-form-entrypoint', 1, 30_000);
    const actions = await codeActions(doc.uri, ownSpot(doc.uri, d), vscode.CodeActionKind.QuickFix.value);
    const preferred = actions.find((a) => a.isPreferred);
    assert.ok(preferred, `a preferred fix among ${JSON.stringify(actions.map((a) => a.title))}`);
    const before = doc.getText();
    await applyAction(preferred);
    assert.equal(doc.getText(), before.replace('ENTRYPOINT /stockd --port 8080', 'ENTRYPOINT ["/stockd", "--port", "8080"]'),
      'only the ENTRYPOINT arguments changed');
    await diagnosticsOf(doc.uri, 'docker/shell-form-entrypoint', 0);
  });
});
