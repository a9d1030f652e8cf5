// `Shipshape: Show Service Map` asks the server for the service model and fills the Explorer's tree view:
// the workspace's stockd service links main.go, the Dockerfile (its go build) and the Deployment's container
// (the binary the Dockerfile builds is named like the image).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { commandTitled, extension, openEditor, restoreWorkspace, waitFor } from './helpers';

/** The rows the server sends (server/src/protocol.ts; the e2e suite compiles on its own). */
interface ServiceMapItem {
  label: string;
  kind: string;
  description?: string;
  uri?: string;
  children?: ServiceMapItem[];
}

interface ServiceMapResult {
  items: ServiceMapItem[];
  services: number;
  links: number;
  unlinked: number;
}

describe('service map', () => {
  afterEach(restoreWorkspace);

  it('shows each service with its links and reasons in a tree view', async function () {
    this.timeout(60_000);
    await openEditor('main.go');
    await waitFor('the extension to activate', () => extension().isActive, 30_000);
    const command = commandTitled(/^Shipshape: Show Service Map$/);
    const result = await vscode.commands.executeCommand<ServiceMapResult | undefined>(command);
    assert.ok(result, 'the command returns the map');
    assert.equal(result.services, 1);
    const [service] = result.items;
    assert.equal(service.kind, 'service');
    const kinds = (service.children ?? []).map((c) => c.kind);
    assert.deepEqual(kinds, ['main', 'dockerfile', 'container']);
    const links = (service.children ?? []).flatMap((c: ServiceMapItem) => c.children ?? []).filter((c) => c.kind === 'link').map((c) => c.label);
    assert.ok(links.includes('go-build'), `the Dockerfile's go build links main.go's package: ${links.join(', ')}`);
    assert.ok(links.includes('name-binary'), `the container's image is named like the binary: ${links.join(', ')}`);
    const container = service.children?.find((c) => c.kind === 'container');
    assert.match(container?.uri ?? '', /k8s\/deployment\.yaml$/);
    // The view is registered and shown (its focus command exists once the view is contributed).
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('shipshape.serviceMap.focus'), 'the Service Map view is contributed');
  });
});
