// `npm run screenshots`: two pictures of the real editor for README, written by the harness to docs/images/.
// Runs only in screenshots mode (index.ts picks this file alone then).
import * as vscode from 'vscode';
import { commandTitled, diagnosticsOf, dismissUntilSettled, harness, openEditor, sleep, wsUri } from './helpers';

describe('screenshots', () => {
  it('docs/images/quick-fix.png: a Go file with squiggles and the quick-fix menu open', async function () {
    this.timeout(120_000);
    const audit = vscode.commands.executeCommand(commandTitled(/^Shipshape: Audit Workspace$/));
    await diagnosticsOf(wsUri('internal/inventory/client.go'), 'go/unclosed-body', 1, 60_000);
    await dismissUntilSettled(audit);
    const editor = await openEditor('main.go');
    const [d] = await diagnosticsOf(editor.document.uri, 'go/unclosed-body', 1, 30_000);
    editor.selection = new vscode.Selection(d.range.start, d.range.start);
    editor.revealRange(d.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    await sleep(1500); // let the squiggle render
    await vscode.commands.executeCommand('editor.action.quickFix');
    await harness('screenshot', { path: 'docs/images/quick-fix.png', settleMs: 1500 });
    await harness('key', { key: 'Escape' });
  });

  it('docs/images/audit-problems.png: the Problems panel after a workspace audit', async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await harness('screenshot', { path: 'docs/images/audit-problems.png', settleMs: 1500 });
  });
});
