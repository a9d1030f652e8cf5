// Desktop route: the same mocha suite in a desktop VS Code through @vscode/test-electron (`npm run test:e2e:desktop`).
// It downloads VS Code (needs internet) unless VSCODE_EXECUTABLE_PATH names a local `code` binary. It cannot run on
// the project's machines (no desktop build reachable), so CI only type-checks it; run-e2e.mjs is the route there.
// Like run-e2e.mjs it opens a COPY of test/e2e/workspace, so the checked-in workspace is never edited.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '../../..');
  const workspaceSrc = path.join(root, 'test/e2e/workspace');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-e2e-desktop-'));
  const workspace = path.join(scratch, 'workspace');
  fs.cpSync(workspaceSrc, workspace, { recursive: true });
  try {
    await runTests({
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(__dirname, 'suite/index'),
      ...(process.env.VSCODE_EXECUTABLE_PATH ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE_PATH } : {}),
      extensionTestsEnv: { SHIPSHAPE_E2E_MODE: 'desktop', SHIPSHAPE_E2E_WORKSPACE_SRC: workspaceSrc },
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        '--user-data-dir', path.join(scratch, 'user-data')],
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
