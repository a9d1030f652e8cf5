// The editor experience (issue 25): the hover with the cost in the concrete case, the Unnecessary tag, the
// commands (Fix All in File, Create Configuration, Turn On Fix All on Save, Show Rules), rule docs in a Markdown
// preview from the bundled pages, the walkthrough, the contributions, and the status bar's severity and click.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  applyAction, codeActions, commandTitled, diagnosticsOf, extension, harness, harnessAvailable, itWithRules, log, openEditor, rangeOf,
  restoreWorkspace, shipshapeDiagnostics, statusBarItems, waitFor, wsUri, type StatusItem,
} from './helpers';

const BATCH_GO = `package main

// café 🚀: a loop that copies a big struct per element.
type Order struct {
	ID    [64]byte
	Items [20]int64
}

func batchTotal() (n int) {
	batch := make([]Order, 1000)
	for _, o := range batch {
		n += len(o.ID)
	}
	return n
}
`;

const LIMITS = '            limits:\n              cpu: 500m\n              memory: 512Mi\n';

async function hoverMarkdown(uri: vscode.Uri, at: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at) ?? [];
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n\n');
}

function tabLabels(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label);
}

describe('editor experience', () => {
  afterEach(restoreWorkspace);

  itWithRules(['go/large-struct-range-copy'], 'hover on a Go finding shows the element size and the bytes copied per pass', async () => {
    const uri = wsUri('batch.go');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(BATCH_GO));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const [d] = await diagnosticsOf(uri, 'go/large-struct-range-copy', 1, 30_000);
    const md = await waitFor('the Shipshape hover', async () => {
      const text = await hoverMarkdown(uri, d.range.start);
      return text.includes('go/large-struct-range-copy') ? text : undefined;
    });
    log(`    hover: ${md.split('\n').filter((l) => l.startsWith('- ')).join(' | ')}`);
    assert.ok(md.includes('- Size of one element: **224 B**'), md);
    assert.ok(md.includes('- Elements (known length): **1,000**'), md);
    assert.ok(md.includes('- Copied per pass over the loop: **219 KiB (224,000 bytes)**'), md);
    assert.match(md, /\[Rule documentation\]\(\S+\/docs\/rules\/go\/large-struct-range-copy\.md\)/);
    assert.ok(editor.document.getText().includes('range batch'));
  });

  itWithRules(['k8s/gomemlimit-missing', 'k8s/gomaxprocs-cpu-limit'], 'hover on a container shows the memory limit, the suggested GOMEMLIMIT, the headroom and the CPU figures', async () => {
    const editor = await openEditor('k8s/deployment.yaml');
    const doc = editor.document;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, doc.positionAt(doc.getText().length), LIMITS);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const [d] = await diagnosticsOf(doc.uri, 'k8s/gomemlimit-missing', 1, 30_000);
    const md = await waitFor('the hover with the memory figures', async () => {
      const text = await hoverMarkdown(doc.uri, d.range.start);
      return text.includes('Suggested GOMEMLIMIT') && text.includes('k8s/gomaxprocs-cpu-limit') ? text : undefined;
    });
    assert.ok(md.includes('- Memory limit (limits.memory): **512 MiB (536,870,912 bytes)**'), md);
    assert.ok(md.includes('- Suggested GOMEMLIMIT: **409MiB**'), md);
    assert.ok(md.includes('- Headroom for stacks, runtime and non-Go memory: **103 MiB (108,003,328 bytes)**'), md);
    assert.ok(md.includes('- CPU limit (limits.cpu): **0.5 CPUs (500m)**'), md);
    assert.ok(md.includes('- GOMAXPROCS without the env: one per node core, e.g. on a node with: **16**'), md);
    assert.ok(md.includes('**32×**'), md);
  });

  it('an ignore directive that suppresses nothing is tagged Unnecessary (faded)', async () => {
    const editor = await openEditor('main.go');
    const doc = editor.document;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, rangeOf(doc, 'package main').end, '\n\n// shipshape:ignore-file go/sql-open-per-request');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const [d] = await diagnosticsOf(doc.uri, 'shipshape/unused-ignore', 1, 30_000);
    assert.deepEqual(d.tags, [vscode.DiagnosticTag.Unnecessary]);
    assert.ok(shipshapeDiagnostics(doc.uri).filter((x) => x !== d).every((x) => !x.tags?.length), 'other findings are not faded');
  });

  itWithRules(['go/unclosed-body'], '"Shipshape: Fix All in File" applies every safe fix of the active file', async () => {
    const editor = await openEditor('report.go');
    await diagnosticsOf(editor.document.uri, 'go/unclosed-body', 2, 30_000);
    await vscode.commands.executeCommand(commandTitled(/^Shipshape: Fix All in File$/));
    await diagnosticsOf(editor.document.uri, 'go/unclosed-body', 0);
    assert.equal(editor.document.getText().split('defer resp.Body.Close()').length - 1, 2);
  });

  itWithRules(['go/unclosed-body'], '"Shipshape: Turn On Fix All on Save" sets editor.codeActionsOnSave, and saving then fixes', async () => {
    const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('editor');
    try {
      await vscode.commands.executeCommand(commandTitled(/^Shipshape: Turn On Fix All on Save$/));
      await vscode.commands.executeCommand('notifications.clearAll');
      assert.deepEqual(config().inspect('codeActionsOnSave')?.globalValue, { 'source.fixAll.shipshape': 'explicit' });
      const editor = await openEditor('report.go');
      await diagnosticsOf(editor.document.uri, 'go/unclosed-body', 2, 30_000);
      const edit = new vscode.WorkspaceEdit();
      edit.insert(editor.document.uri, rangeOf(editor.document, 'package main').end, '\n');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await editor.document.save();
      await waitFor('the save to apply the safe fixes', () => editor.document.getText().split('defer resp.Body.Close()').length - 1 === 2);
      await diagnosticsOf(editor.document.uri, 'go/unclosed-body', 0);
    } finally {
      await config().update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('"Shipshape: Create Configuration" writes .shipshape.yaml with every rule at its default, and opens it', async () => {
    const target = wsUri('.shipshape.yaml');
    await vscode.commands.executeCommand(commandTitled(/^Shipshape: Create Configuration$/));
    const text = await waitFor('.shipshape.yaml', () => fs.existsSync(target.fsPath) && fs.readFileSync(target.fsPath, 'utf8'));
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, target.fsPath);
    const rules = fs.readdirSync(path.join(extension().extensionPath, 'docs', 'rules'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.md') && f.includes('/')).map((f) => f.replace(/\\/g, '/').replace(/\.md$/, ''));
    assert.ok(rules.length > 20);
    for (const id of rules) assert.ok(text.includes(id), `${id} is in the generated configuration`);
  });

  itWithRules(['go/unclosed-body'], '"Show docs" opens the bundled rule page in a Markdown preview', async () => {
    const editor = await openEditor('main.go');
    const d = (await diagnosticsOf(editor.document.uri, 'go/unclosed-body', 1, 30_000))[0];
    const actions = await codeActions(editor.document.uri, d.range, 'quickfix');
    const docs = actions.find((a) => a.title === 'Show docs for go/unclosed-body');
    assert.ok(docs, actions.map((a) => a.title).join(', '));
    await applyAction(docs);
    const label = await waitFor('a Markdown preview tab', () => tabLabels().find((l) => /Preview unclosed-body\.md/.test(l)));
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label === label);
    assert.ok(tab?.input instanceof vscode.TabInputWebview, 'a preview (webview), not the Markdown source');
    assert.match(tab.input.viewType, /markdown\.preview/);
    // No editor opened the page as text, and the workspace has no copy of it: the page is the extension's own.
    assert.ok(!vscode.window.visibleTextEditors.some((e) => e.document.uri.path.endsWith('unclosed-body.md')));
  });

  it('"Shipshape: Show Rules" previews the bundled rules list', async () => {
    await vscode.commands.executeCommand(commandTitled(/^Shipshape: Show Rules$/));
    await waitFor('the rules list preview', () => tabLabels().find((l) => /Preview README\.md/.test(l)));
  });

  it('contributions: the walkthrough, both config spellings with the schema, the $shipshape problem matcher', async function () {
    this.timeout(60_000);
    const pkg = extension().packageJSON as {
      contributes: {
        yamlValidation: { fileMatch: string; url: string }[];
        problemMatchers: { name: string; pattern: { regexp: string } }[];
        walkthroughs: { id: string; steps: { title: string }[] }[];
      };
    };
    assert.deepEqual(pkg.contributes.yamlValidation.map((v) => v.fileMatch).sort(), ['.shipshape.yaml', '.shipshape.yml']);
    for (const v of pkg.contributes.yamlValidation) assert.ok(fs.existsSync(path.join(extension().extensionPath, v.url)), v.url);
    const matcher = pkg.contributes.problemMatchers.find((m) => m.name === 'shipshape');
    assert.ok(matcher);
    assert.ok(new RegExp(matcher.pattern.regexp).test('main.go:13:15: warning: resp.Body is never closed; the connection leaks [go/unclosed-body]'));
    const [walkthrough] = pkg.contributes.walkthroughs;
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${extension().id}#${walkthrough.id}`, false);
    if (harnessAvailable()) {
      const titles = await waitFor('the walkthrough rendered', async () => {
        const html = (await harness<string[]>('dom', { selector: '.getting-started-step .step-title' })).join('\n');
        const seen = walkthrough.steps.map((s) => s.title).filter((t) => html.includes(t));
        return seen.length === walkthrough.steps.length ? seen : undefined;
      }, 30_000);
      log(`    walkthrough steps: ${titles.join(' · ')}`);
    }
  });
});

function shipshapeItem(items: StatusItem[]): StatusItem | undefined {
  return items.find((i) => /shipshape\.status/i.test(i.id)) ?? items.find((i) => /shipshape/i.test(`${i.label} ${i.text}`));
}

/** The status item's outer HTML, which shows its codicon and background kind. */
async function statusItemHtml(): Promise<string> {
  const item = shipshapeItem(await statusBarItems());
  assert.ok(item, 'a Shipshape status bar item');
  return (await harness<string[]>('dom', { selector: `[id="${item.id}"]` })).join('\n');
}

/** Pids of this extension host's children running the bundled server. */
function serverPids(): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('server.js')) out.push(Number(entry));
    } catch {
      // The process ended meanwhile.
    }
  }
  return out;
}

if (harnessAvailable()) {
  describe('status bar severity', () => {
    afterEach(restoreWorkspace);

    itWithRules(['docker/shell-form-entrypoint'], 'the icon and colour follow the worst severity', async () => {
      const editor = await openEditor('main.go');
      await diagnosticsOf(editor.document.uri, 'go/unclosed-body', 1, 30_000);
      const hasError = (): boolean => vscode.languages.getDiagnostics().some(([, ds]) => ds.some((d) => d.source === 'shipshape' && d.severity === vscode.DiagnosticSeverity.Error));
      if (!hasError()) {
        const html = await waitFor('a warning icon and background', async () => {
          const h = await statusItemHtml();
          return h.includes('codicon-warning') && h.includes('warning-kind') ? h : undefined;
        });
        assert.ok(!html.includes('codicon-error'));
      }
      // The Dockerfile's shell-form ENTRYPOINT on distroless is an error.
      await openEditor('Dockerfile');
      await waitFor('an error finding', hasError, 30_000);
      const html = await waitFor('an error icon and background', async () => {
        const h = await statusItemHtml();
        return h.includes('codicon-error') && h.includes('error-kind') ? h : undefined;
      });
      log(`    status item: ${html.replace(/\s+/g, ' ').slice(0, 300)}`);
    });

    itWithRules(['go/unclosed-body'], 'when the server is down, a click opens the output, and Restart Server brings it back', async function () {
      this.timeout(180_000);
      const editor = await openEditor('main.go');
      await diagnosticsOf(editor.document.uri, 'go/unclosed-body', 1, 30_000);
      // Crash the server until the restart policy gives up (4 restarts allowed in 3 minutes): then no new
      // server process comes, and the item stays "not running".
      let givenUp = false;
      for (let i = 0; i < 8 && !givenUp; i++) {
        const pids: number[] = await waitFor<number[]>('a running server process', () => { const p = serverPids(); return p.length ? p : undefined; }, 15_000).catch(() => []);
        if (pids.length === 0) {
          givenUp = true;
          break;
        }
        for (const pid of pids) process.kill(pid, 'SIGKILL');
        log(`    killed server ${pids.join(',')}`);
        givenUp = await waitFor('a new server process', () => serverPids().some((p) => !pids.includes(p)), 10_000).then(() => false, () => true);
      }
      assert.ok(givenUp, 'the client stopped restarting the server');
      const item = await waitFor('the item to say the server is not running', async () => {
        const it = shipshapeItem(await statusBarItems());
        return it && /not running/.test(it.label) ? it : undefined;
      });
      assert.deepEqual(serverPids(), []);
      await vscode.commands.executeCommand('workbench.action.closePanel');
      await harness('click', { selector: `[id="${item.id}"] a` });
      const tab = await waitFor('the Output panel open', async () => {
        const html = (await harness<string[]>('dom', { selector: '.part.panel .action-item.checked' })).join('\n');
        return /Output/.test(html) ? html : undefined;
      });
      assert.doesNotMatch(tab, /Problems/);
      const channel = (await harness<string[]>('dom', { selector: '.part.panel select' })).join('\n');
      log(`    output panel open; channel picker mentions Shipshape: ${/Shipshape/.test(channel)}`);
      await vscode.commands.executeCommand(commandTitled(/^Shipshape: Restart Server$/));
      await waitFor('the server back', async () => !(await statusItemHtml()).includes('not running'), 30_000);
      await diagnosticsOf(editor.document.uri, 'go/unclosed-body', 1, 30_000);
    });
  });
}
