// Opening a file activates the extension, and each kind of file gets its diagnostics with the rule id as
// code, the exact range (UTF-16 columns: each file has `café 🚀` before or inside a flagged range) and a
// link to the rule's bundled docs page.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { assertDocsLink, diagnosticsOf, extension, itWithRules, log, REPO_ROOT, openEditor, rangeOf, restoreWorkspace, showRange, waitFor } from './helpers';

describe('activation and diagnostics', () => {
  afterEach(restoreWorkspace);

  it('activates on a Go file and reports go/unclosed-body with code, range and docs link', async () => {
    const ext = extension();
    const events = (ext.packageJSON as { activationEvents?: string[] }).activationEvents ?? [];
    assert.ok(events.includes('onLanguage:go'), 'activates on Go files');
    const editor = await openEditor('main.go');
    assert.equal(editor.document.languageId, 'go');
    await waitFor('the extension to activate', () => ext.isActive, 30_000);
    const [d] = await diagnosticsOf(editor.document.uri, 'go/unclosed-body', 1, 30_000);
    const want = rangeOf(editor.document, 'http.Get("http://warehouse.internal/café/🚀?sku=" + sku)');
    assert.equal(showRange(d.range), showRange(want), 'the range is the http.Get call, in UTF-16 columns');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(d.message, /resp\.Body/);
    assertDocsLink(d, 'go/unclosed-body');
  });

  it('runs the extension from the expected place (source folder or installed .vsix)', () => {
    const ext = extension();
    const mode = process.env.SHIPSHAPE_E2E_MODE;
    log(`extension ${ext.id} ${String((ext.packageJSON as { version?: string }).version)} from ${ext.extensionPath}`);
    if (mode === 'vsix') {
      assert.notEqual(path.resolve(ext.extensionPath), REPO_ROOT, 'not the source folder');
      assert.match(ext.extensionPath, /shipshape\.shipshape-/, 'an installed extension folder');
    } else if (mode === 'source') {
      assert.equal(path.resolve(ext.extensionPath), REPO_ROOT, 'the source folder');
    }
  });

  itWithRules(['docker/shell-form-entrypoint'], 'reports docker/shell-form-entrypoint in a Dockerfile', async () => {
    const editor = await openEditor('Dockerfile');
    const [d] = await diagnosticsOf(editor.document.uri, 'docker/shell-form-entrypoint', 1, 30_000);
    const line = rangeOf(editor.document, 'ENTRYPOINT /stockd --port 8080');
    assert.ok(line.contains(d.range), `range ${showRange(d.range)} lies on the ENTRYPOINT instruction ${showRange(line)}`);
    assertDocsLink(d, 'docker/shell-form-entrypoint');
  });

  itWithRules(['k8s/missing-limits'], 'reports k8s/missing-limits in a Kubernetes manifest', async () => {
    const editor = await openEditor('k8s/deployment.yaml');
    const [d] = await diagnosticsOf(editor.document.uri, 'k8s/missing-limits', 1, 30_000);
    const container = new vscode.Range(rangeOf(editor.document, '- name: stockd').start, editor.document.positionAt(editor.document.getText().length));
    assert.ok(container.contains(d.range), `range ${showRange(d.range)} lies in the stockd container`);
    assertDocsLink(d, 'k8s/missing-limits');
  });
});
