// Typing a fix by hand clears the diagnostic; typing the defect back brings it back (diagnostics follow the
// buffer, not the file on disk).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsOf, itWithRules, openEditor, rangeOf, restoreWorkspace } from './helpers';

describe('editing', () => {
  afterEach(restoreWorkspace);

  it('a hand-typed fix clears go/unclosed-body and re-introducing the defect brings it back', async () => {
    const editor = await openEditor('main.go');
    const doc = editor.document;
    await diagnosticsOf(doc.uri, 'go/unclosed-body', 1, 30_000);

    // Type `defer resp.Body.Close()` after the error check, as a user would.
    const check = rangeOf(doc, '\t\treturn "", err\n\t}\n');
    const fix = new vscode.WorkspaceEdit();
    fix.insert(doc.uri, check.end, '\tdefer resp.Body.Close()\n');
    assert.ok(await vscode.workspace.applyEdit(fix));
    assert.ok(doc.isDirty, 'edited in the buffer only');
    await diagnosticsOf(doc.uri, 'go/unclosed-body', 0);

    // Delete it again.
    const undo = new vscode.WorkspaceEdit();
    undo.delete(doc.uri, rangeOf(doc, '\tdefer resp.Body.Close()\n'));
    assert.ok(await vscode.workspace.applyEdit(undo));
    await diagnosticsOf(doc.uri, 'go/unclosed-body', 1);
  });

  itWithRules(['docker/shell-form-entrypoint'], 'a hand-typed exec-form ENTRYPOINT clears docker/shell-form-entrypoint', async () => {
    const editor = await openEditor('Dockerfile');
    const doc = editor.document;
    await diagnosticsOf(doc.uri, 'docker/shell-form-entrypoint', 1, 30_000);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, rangeOf(doc, 'ENTRYPOINT /stockd --port 8080'), 'ENTRYPOINT ["/stockd", "--port", "8080"]');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await diagnosticsOf(doc.uri, 'docker/shell-form-entrypoint', 0);
    const back = new vscode.WorkspaceEdit();
    back.replace(doc.uri, rangeOf(doc, 'ENTRYPOINT ["/stockd", "--port", "8080"]'), 'ENTRYPOINT /stockd --port 8080');
    assert.ok(await vscode.workspace.applyEdit(back));
    await diagnosticsOf(doc.uri, 'docker/shell-form-entrypoint', 1);
  });
});
