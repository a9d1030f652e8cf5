import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { LSPErrorCodes, ResponseError, WorkDoneProgress, type LanguageClient } from 'vscode-languageclient/node';
import { AUDIT_METHOD, type AuditParams, type AuditSummary } from '../../server/src/host-shared/protocol';
import { formatAuditSummary } from './audit-summary';

/**
 * `Shipshape: Audit Workspace`: a cancellable progress notification fed by the
 * server's `$/progress` for a token the client made, then the summary with a
 * button to the Problems panel.
 */
export async function auditWorkspace(client: LanguageClient): Promise<void> {
  let summary: AuditSummary;
  try {
    summary = await runWithProgress(client);
  } catch (e) {
    if (e instanceof ResponseError && e.code === LSPErrorCodes.RequestCancelled) {
      void vscode.window.showInformationMessage('Shipshape: audit cancelled');
      return;
    }
    throw e;
  }
  const open = 'Open Problems';
  const choice = await vscode.window.showInformationMessage(formatAuditSummary(summary), open);
  if (choice === open) await vscode.commands.executeCommand('workbench.actions.view.problems');
}

function runWithProgress(client: LanguageClient): Thenable<AuditSummary> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Shipshape: auditing the workspace', cancellable: true },
    async (progress, cancel) => {
      const workDoneToken = randomUUID();
      let reported = 0;
      const subscription = client.onProgress(WorkDoneProgress.type, workDoneToken, (value) => {
        if (value.kind === 'end') return;
        const percentage = value.percentage ?? reported;
        progress.report({ increment: Math.max(0, percentage - reported), message: value.message });
        reported = percentage;
      });
      try {
        return await client.sendRequest<AuditSummary>(AUDIT_METHOD, { workDoneToken } satisfies AuditParams, cancel);
      } finally {
        subscription.dispose();
      }
    },
  );
}
