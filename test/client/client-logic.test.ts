import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { RestartPolicy } from '../../client/src/restart-policy';
import { countDiagnostics, statusView } from '../../client/src/status';
import { formatAuditSummary, formatDuration } from '../../client/src/audit-summary';

test('restart policy: restarts up to the limit within the window, then stops; old crashes age out; reset starts over', () => {
  const p = new RestartPolicy(3, 60_000);
  assert.deepEqual([0, 1000, 2000].map((t) => p.onCrash(t)), [true, true, true]);
  assert.equal(p.onCrash(3000), false);
  assert.match(p.describe(false), /crashed 4 times in 1 minutes and will not be restarted/);
  assert.equal(p.onCrash(200_000), true, 'crashes older than the window no longer count');
  assert.equal(p.recentCrashes, 1);
  p.reset();
  assert.equal(p.recentCrashes, 0);
  assert.match(p.describe(true), /restarting it \(0 of 3/);
});

test('status bar: idle with counts, analysing, disabled, stopped', () => {
  const none = { error: 0, warning: 0, info: 0 };
  assert.deepEqual(statusView('idle', none), { text: '$(check) Shipshape', tooltip: 'Shipshape: no findings', command: 'workbench.actions.view.problems' });
  const some = countDiagnostics([1, 2, 2, 3, 4]);
  assert.deepEqual(some, { error: 1, warning: 2, info: 2 });
  // Icon and colour follow the worst severity.
  assert.equal(statusView('idle', some).text, '$(error) Shipshape 5');
  assert.equal(statusView('idle', some).background, 'statusBarItem.errorBackground');
  assert.equal(statusView('idle', countDiagnostics([2, 3])).text, '$(warning) Shipshape 2');
  assert.equal(statusView('idle', countDiagnostics([2, 3])).background, 'statusBarItem.warningBackground');
  assert.equal(statusView('idle', countDiagnostics([3, 4])).text, '$(info) Shipshape 2');
  assert.equal(statusView('idle', countDiagnostics([3, 4])).background, undefined);
  assert.equal(statusView('idle', some).command, 'workbench.actions.view.problems');
  // Server down: a click opens the log, not the Problems panel.
  assert.deepEqual([statusView('stopped', some).command, statusView('stopped', some).background], ['shipshape.showOutput', 'statusBarItem.errorBackground']);
  assert.match(statusView('idle', some).tooltip, /1 error\(s\), 2 warning\(s\), 2 info — click to open the Problems panel/);
  assert.equal(statusView('analysing', some).text, '$(sync~spin) Shipshape');
  assert.match(statusView('disabled', none).tooltip, /disabled/);
  assert.match(statusView('stopped', none).tooltip, /not running/);
});

test('audit summary message: counts, skipped by reason, cancelled, duration', () => {
  const base = { files: 12, findings: { error: 1, warning: 3, info: 0 }, skipped: [], durationMs: 1530, cancelled: false };
  assert.equal(formatAuditSummary(base), 'Audited 12 files in 1.5 s: 1 error(s), 3 warning(s), 0 info');
  assert.equal(
    formatAuditSummary({
      ...base,
      files: 1,
      findings: { error: 0, warning: 0, info: 0 },
      cancelled: true,
      durationMs: 80,
      skipped: [
        { uri: 'file:///a', reason: 'binary', message: '' },
        { uri: 'file:///b', reason: 'generated', message: '' },
        { uri: 'file:///c', reason: 'binary', message: '' },
      ],
    }),
    'Audit cancelled after 1 file in 80 ms: no findings — skipped 3 (2 binary, 1 generated)',
  );
  assert.equal(formatDuration(999.6), '1000 ms');
});
