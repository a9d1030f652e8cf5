import * as vscode from 'vscode';
import { configTemplate } from '../../server/src/host-shared/config-template';
import schema from '../../schemas/shipshape.schema.json';

/**
 * "Shipshape: Create Configuration": writes the same commented `.shipshape.yaml`
 * as `shipshape init` (one generator, fed the shipped schema) into a workspace
 * folder, or opens the one that is already there.
 */
export async function createConfiguration(): Promise<void> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const folder = folders.length > 1 ? await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder for .shipshape.yaml' }) : folders[0];
  if (!folder) {
    void vscode.window.showWarningMessage('Shipshape: open a folder first; .shipshape.yaml goes in a workspace folder.');
    return;
  }
  for (const name of ['.shipshape.yaml', '.shipshape.yml']) {
    const existing = vscode.Uri.joinPath(folder.uri, name);
    try {
      await vscode.workspace.fs.stat(existing);
      await vscode.window.showTextDocument(existing);
      void vscode.window.showInformationMessage(`Shipshape: ${name} already exists; opened it.`);
      return;
    } catch {
      // Not there: try the next name, then create.
    }
  }
  const uri = vscode.Uri.joinPath(folder.uri, '.shipshape.yaml');
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(configTemplate(schema)));
  await vscode.window.showTextDocument(uri);
}
