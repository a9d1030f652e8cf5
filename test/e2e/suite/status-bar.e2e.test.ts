// The status bar item shows how many findings there are; the harness reads it from the workbench DOM
// (extensions cannot read status bar items), so this test exists only under run-e2e.mjs.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { diagnosticsOf, harnessAvailable, log, openEditor, rangeOf, restoreWorkspace, SOURCE, statusBarItems, waitFor, type StatusItem } from './helpers';

function shipshapeItem(items: StatusItem[]): StatusItem | undefined {
  return items.find((i) => /shipshape/i.test(i.id)) ?? items.find((i) => /shipshape/i.test(`${i.label} ${i.text}`));
}

function totalFindings(): number {
  return vscode.languages.getDiagnostics().reduce((n, [, ds]) => n + ds.filter((d) => d.source === SOURCE).length, 0);
}

if (harnessAvailable()) {
  describe('status bar', () => {
    afterEach(restoreWorkspace);

    it('shows the finding count and follows edits', async () => {
      const editor = await openEditor('main.go');
      const doc = editor.document;
      await diagnosticsOf(doc.uri, 'go/unclosed-body', 1, 30_000);
      const expectCount = async (what: string) => waitFor(what, async () => {
        const item = shipshapeItem(await statusBarItems());
        const n = totalFindings();
        return item && new RegExp(`(^|\\D)${n}(\\D|$)`).test(`${item.text} ${item.label}`) ? { item, n } : undefined;
      });
      const first = await expectCount('the status bar to show the finding count');
      log(`    status bar: ${JSON.stringify(first.item)} for ${first.n} finding(s)`);

      const fix = new vscode.WorkspaceEdit();
      fix.insert(doc.uri, rangeOf(doc, '\t\treturn "", err\n\t}\n').end, '\tdefer resp.Body.Close()\n');
      assert.ok(await vscode.workspace.applyEdit(fix));
      await diagnosticsOf(doc.uri, 'go/unclosed-body', 0);
      const second = await expectCount('the status bar to follow the fix');
      assert.equal(second.n, first.n - 1);
      log(`    status bar: ${JSON.stringify(second.item)} for ${second.n} finding(s)`);
    });
  });
}
