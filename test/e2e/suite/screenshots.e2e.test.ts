// `npm run screenshots`: pictures of the real editor for README, written by the harness to docs/images/.
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

  it('docs/images/hover.png: the hover over a finding, with the cost in the concrete case', async function () {
    this.timeout(90_000);
    const uri = wsUri('batch.go');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(BATCH_GO));
    await vscode.commands.executeCommand('workbench.action.closePanel');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    const [d] = await diagnosticsOf(uri, 'go/large-struct-range-copy', 1, 30_000);
    editor.selection = new vscode.Selection(d.range.start, d.range.start);
    editor.revealRange(d.range, vscode.TextEditorRevealType.InCenter);
    await sleep(1500);
    await vscode.commands.executeCommand('editor.action.showHover');
    await harness('screenshot', { path: 'docs/images/hover.png', settleMs: 2000 });
    await harness('key', { key: 'Escape' });
  });

  it('docs/images/service-map.png: the Service Map view, each service with its main package, Dockerfile and containers', async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.closePanel');
    await openEditor('main.go');
    await vscode.commands.executeCommand('workbench.view.explorer');
    // Room for the view: collapse the file tree's section (a click on its header) and hide outline and timeline.
    await harness('click', { selector: '.split-view-view:has(.explorer-folders-view) .pane-header' });
    for (const id of ['outline', 'timeline']) await vscode.commands.executeCommand(`${id}.removeView`).then(undefined, () => undefined);
    await vscode.commands.executeCommand(commandTitled(/^Shipshape: Show Service Map$/));
    await vscode.commands.executeCommand('shipshape.serviceMap.focus');
    await sleep(500);
    // Expand the container, Dockerfile and main package rows (bottom up, so the rows above keep their place).
    for (const key of ['End', 'ArrowRight', 'ArrowUp', 'ArrowRight', 'ArrowUp', 'ArrowRight']) {
      await harness('key', { key });
      await sleep(300);
    }
    await harness('screenshot', { path: 'docs/images/service-map.png', settleMs: 2000, selector: '.part.sidebar' });
  });

  it('docs/images/walkthrough.png: the Get started with Shipshape walkthrough', async function () {
    this.timeout(60_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // Without the side bar the page is wide enough to show each step's image beside the steps.
    await vscode.commands.executeCommand('workbench.action.closeSidebar');
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', 'shipshape.shipshape#gettingStarted', false);
    await harness('screenshot', { path: 'docs/images/walkthrough.png', settleMs: 3000 });
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

});

/** A loop copying a 224-byte struct per element over a slice of known length. */
const BATCH_GO = `package main

// café 🚀: a batch of orders, ranged by value.
type Order struct {
	ID       [64]byte
	Customer [32]byte
	Items    [16]int64
}

func batchTotal() (n int) {
	batch := make([]Order, 1000)
	for _, o := range batch {
		n += len(o.ID)
	}
	return n
}
`;
