import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SERVICE_MAP_METHOD, type ServiceMapItem, type ServiceMapParams, type ServiceMapResult } from '../../server/src/host-shared/protocol';

/**
 * "Shipshape: Show Service Map": asks the server for the service model of the
 * workspace (`shipshape/serviceMap`) and shows its rows in a tree view of the
 * Explorer — services, their main package, Dockerfiles and containers, each
 * link with its reason, then what could not be linked. The server builds the
 * rows; this only turns them into tree items that open their file.
 */

const ICONS: Readonly<Record<string, string>> = {
  service: 'server-process', main: 'symbol-package', dockerfile: 'package', container: 'vm', workload: 'layers',
  link: 'link', unlinked: 'warning', info: 'info',
};

export class ServiceMapTree implements vscode.TreeDataProvider<ServiceMapItem> {
  private items: ServiceMapItem[] = [];
  private readonly changed = new vscode.EventEmitter<ServiceMapItem | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  set(items: ServiceMapItem[]): void {
    this.items = items;
    this.changed.fire(undefined);
  }

  getChildren(item?: ServiceMapItem): ServiceMapItem[] {
    return item ? (item.children ?? []) : this.items;
  }

  getTreeItem(item: ServiceMapItem): vscode.TreeItem {
    const collapsed = item.kind === 'service' || (item.kind === 'unlinked' && item.label === 'Not linked')
      ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const t = new vscode.TreeItem(item.label, item.children?.length ? collapsed : vscode.TreeItemCollapsibleState.None);
    t.description = item.description;
    t.tooltip = item.tooltip ?? item.description;
    t.iconPath = new vscode.ThemeIcon(ICONS[item.kind] ?? 'circle-outline');
    if (item.uri) {
      const line = item.line ?? 0;
      t.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.parse(item.uri), { selection: new vscode.Range(line, 0, line, 0) }] };
    }
    return t;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Runs the request, fills the view and reveals it; returns the result (the e2e suite reads it). */
export async function showServiceMap(client: LanguageClient, tree: ServiceMapTree): Promise<ServiceMapResult | undefined> {
  try {
    const result = await client.sendRequest<ServiceMapResult>(SERVICE_MAP_METHOD, {} satisfies ServiceMapParams);
    tree.set(result.items);
    await vscode.commands.executeCommand('setContext', 'shipshape.serviceMapShown', true);
    await vscode.commands.executeCommand('shipshape.serviceMap.focus');
    return result;
  } catch (e) {
    void vscode.window.showErrorMessage(`Shipshape: the service map failed: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}
