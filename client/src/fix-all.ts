import * as vscode from 'vscode';

/** The server's fix-all code action kind (server/src/lsp/code-actions.ts FIX_ALL_KIND). */
export const FIX_ALL_KIND = 'source.fixAll.shipshape';

/**
 * "Shipshape: Fix All in File": the same `source.fixAll.shipshape` action as
 * `editor.codeActionsOnSave` runs (safe fixes only, re-analysed between passes),
 * applied to the active editor now.
 */
export async function fixAllInFile(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage('Shipshape: open a Go file, Dockerfile or manifest to fix.');
    return;
  }
  const { document } = editor;
  const kind = vscode.CodeActionKind.SourceFixAll.append('shipshape');
  const actions = await vscode.commands.executeCommand<vscode.CodeAction[] | undefined>(
    'vscode.executeCodeActionProvider', document.uri, new vscode.Range(0, 0, 0, 0), FIX_ALL_KIND,
  );
  const action = actions?.find((a) => a.kind !== undefined && kind.contains(a.kind) && a.edit);
  if (!action?.edit) {
    void vscode.window.showInformationMessage('Shipshape: no safe fixes in this file (quick fixes that guess values are offered one by one).');
    return;
  }
  await vscode.workspace.applyEdit(action.edit);
}
