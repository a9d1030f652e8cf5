// `Shipshape: Audit Workspace` analyses files nobody opened, publishes their diagnostics and shows progress.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { commandTitled, diagnosticsOf, dismissUntilSettled, harness, harnessAvailable, itWithRules, log, restoreWorkspace, workspaceRoot, wsUri } from './helpers';

/** Clean, service-shaped Go files that make the audit last long enough for its progress to be seen. */
function writeFillerPackage(files: number): void {
  const dir = path.join(workspaceRoot().fsPath, 'internal', 'filler');
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < files; i++) {
    const funcs = Array.from({ length: 40 }, (_, j) => `
// Sum${i}_${j} adds the values of one batch.
func Sum${i}_${j}(values []int) int {
	total := 0
	for _, v := range values {
		if v > ${j} {
			total += v
		}
	}
	return total
}
`).join('');
    fs.writeFileSync(path.join(dir, `sum${i}.go`), `package filler\n${funcs}`);
  }
}

describe('workspace audit', () => {
  afterEach(restoreWorkspace);

  it('reports diagnostics for files that are not open, with progress', async function () {
    this.timeout(120_000);
    const command = commandTitled(/^Shipshape: Audit Workspace$/);
    const client = wsUri('internal/inventory/client.go');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === client.toString()), 'client.go is not open');
    writeFillerPackage(200);

    // With the smoke-test driver on (how extension tests run in a web workbench) VS Code shows no notification
    // toasts. In Do Not Disturb mode a progress notification goes to the status bar instead (as users with DND
    // see it), where the harness can watch it.
    await vscode.commands.executeCommand('notifications.toggleDoNotDisturbMode');
    try {
      if (harnessAvailable()) await harness('watch-start');
      const t = Date.now();
      // The command ends with a summary message whose promise settles when the message is dismissed.
      const run = vscode.commands.executeCommand(command);
      const [d] = await diagnosticsOf(client, 'go/unclosed-body', 1, 60_000);
      const callLine = fs.readFileSync(client.fsPath, 'utf8').split('\n').findIndex((l) => l.includes('client.Get(url)'));
      assert.equal(d.range.start.line, callLine, 'the client.Get call in Lookup');
      await diagnosticsOf(wsUri('report.go'), 'go/unclosed-body', 2);
      log(`    diagnostics of unopened files after ${Date.now() - t} ms`);
      assert.ok(!vscode.workspace.textDocuments.some((doc) => doc.uri.toString() === client.toString()), 'client.go was not opened to do it');

      if (harnessAvailable()) {
        const seen = await harness<{ texts: string[] }>('watch-stop');
        const progress = seen.texts.filter((s) => /shipshape/i.test(s) && /audit/i.test(s) && /\d+\s*\/\s*\d+/.test(s));
        log(`    progress seen in the status bar: ${JSON.stringify(progress.slice(0, 6))}`);
        assert.ok(progress.length > 0, `a Shipshape audit progress indicator with files done/total was shown: ${JSON.stringify(seen.texts)}`);
      }
      log(`    audit command: ${JSON.stringify(await dismissUntilSettled(run))}`);
    } finally {
      await vscode.commands.executeCommand('notifications.toggleDoNotDisturbMode');
    }
  });

  itWithRules(['docker/shell-form-entrypoint', 'k8s/missing-limits'], 'reports the Dockerfile and the manifest too', async function () {
    this.timeout(60_000);
    const run = vscode.commands.executeCommand(commandTitled(/^Shipshape: Audit Workspace$/));
    await diagnosticsOf(wsUri('Dockerfile'), 'docker/shell-form-entrypoint', 1, 30_000);
    await diagnosticsOf(wsUri('k8s/deployment.yaml'), 'k8s/missing-limits', 1, 30_000);
    await dismissUntilSettled(run);
  });
});
