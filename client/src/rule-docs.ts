import * as vscode from 'vscode';

/**
 * "Show docs for <id>" (the server's `shipshape.showRuleDocs` command, from a
 * code action or the hover): the rule's page bundled in the extension, in a
 * Markdown preview — offline, and in Restricted Mode too, since the page is
 * the extension's own file, never the workspace's. The argument names the
 * page (`…/docs/rules/<domain>/<name>.md`); only the rule id is taken from it.
 */
export function bundledRulePage(extensionUri: vscode.Uri, arg: unknown): vscode.Uri | undefined {
  if (typeof arg !== 'string') return undefined;
  const m = /\/docs\/rules\/([a-z0-9-]+)\/([a-z0-9-]+)\.md$/.exec(arg);
  return m ? vscode.Uri.joinPath(extensionUri, 'docs', 'rules', m[1], `${m[2]}.md`) : undefined;
}

export async function showRuleDocs(extensionUri: vscode.Uri, args: readonly unknown[]): Promise<void> {
  const page = bundledRulePage(extensionUri, args[0]);
  if (!page) {
    void vscode.window.showWarningMessage('Shipshape: no bundled docs page for that rule.');
    return;
  }
  await vscode.commands.executeCommand('markdown.showPreview', page);
}

/** "Shipshape: Show Rules": the bundled rules list, in a Markdown preview. */
export async function showRules(extensionUri: vscode.Uri): Promise<void> {
  await vscode.commands.executeCommand('markdown.showPreview', vscode.Uri.joinPath(extensionUri, 'docs', 'rules', 'README.md'));
}
