// Changing a Shipshape setting re-analyses open files at once: no reload.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsOf, openEditor, restoreWorkspace, shipshapeDiagnostics, waitFor } from './helpers';

describe('settings', () => {
  afterEach(restoreWorkspace);

  it('turning a rule off and back on, or changing its severity, updates the diagnostics without a reload', async () => {
    const editor = await openEditor('main.go');
    const uri = editor.document.uri;
    const [d] = await diagnosticsOf(uri, 'go/unclosed-body', 1, 30_000);
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    const config = () => vscode.workspace.getConfiguration('shipshape');
    const withSeverity = (severity: vscode.DiagnosticSeverity) => waitFor(`go/unclosed-body as ${vscode.DiagnosticSeverity[severity]}`,
      () => shipshapeDiagnostics(uri, 'go/unclosed-body').find((x) => x.severity === severity));

    await config().update('rules', { 'go/unclosed-body': 'off' }, vscode.ConfigurationTarget.Workspace);
    await diagnosticsOf(uri, 'go/unclosed-body', 0);

    await config().update('rules', { 'go/unclosed-body': 'error' }, vscode.ConfigurationTarget.Workspace);
    await withSeverity(vscode.DiagnosticSeverity.Error);
    await diagnosticsOf(uri, 'go/unclosed-body', 1);

    await config().update('rules', undefined, vscode.ConfigurationTarget.Workspace);
    await withSeverity(vscode.DiagnosticSeverity.Warning);
    await diagnosticsOf(uri, 'go/unclosed-body', 1);
  });
});
