import type { StatusParams } from '../../server/src/host-shared/protocol';

export interface DiagnosticCounts {
  error: number;
  warning: number;
  info: number;
}

export const PROBLEMS_COMMAND = 'workbench.actions.view.problems';
export const OUTPUT_COMMAND = 'shipshape.showOutput';

export interface StatusView {
  text: string;
  tooltip: string;
  /** The item's background, as VS Code allows for status bar items (`statusBarItem.errorBackground` / `warningBackground`). */
  background?: 'statusBarItem.errorBackground' | 'statusBarItem.warningBackground';
  /** What a click runs: the Problems panel, or the log when the server is down. */
  command: typeof PROBLEMS_COMMAND | typeof OUTPUT_COMMAND;
}

/**
 * The status bar item: analysing, idle with counts (icon and colour of the
 * worst severity, as the Problems count does), or off. A click opens the
 * Problems panel, or the output when the server is not running (the log says why).
 * Pure (no VS Code), unit-tested.
 */
export function statusView(state: StatusParams['state'] | 'starting' | 'stopped', counts: DiagnosticCounts): StatusView {
  const total = counts.error + counts.warning + counts.info;
  const summary = `${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} info — click to open the Problems panel`;
  const problems = PROBLEMS_COMMAND;
  switch (state) {
    case 'starting':
      return { text: '$(loading~spin) Shipshape', tooltip: 'Shipshape: starting the server', command: problems };
    case 'stopped':
      return {
        text: '$(error) Shipshape', tooltip: 'Shipshape: the server is not running — click to open its output, then run "Shipshape: Restart Server"',
        background: 'statusBarItem.errorBackground', command: OUTPUT_COMMAND,
      };
    case 'disabled':
      return { text: '$(circle-slash) Shipshape', tooltip: 'Shipshape is disabled (shipshape.enable)', command: problems };
    case 'analysing':
      return { text: '$(sync~spin) Shipshape', tooltip: `Shipshape: analysing — ${summary}`, command: problems };
    default:
      if (total === 0) return { text: '$(check) Shipshape', tooltip: 'Shipshape: no findings', command: problems };
      if (counts.error > 0) return { text: `$(error) Shipshape ${total}`, tooltip: `Shipshape: ${summary}`, background: 'statusBarItem.errorBackground', command: problems };
      if (counts.warning > 0) return { text: `$(warning) Shipshape ${total}`, tooltip: `Shipshape: ${summary}`, background: 'statusBarItem.warningBackground', command: problems };
      return { text: `$(info) Shipshape ${total}`, tooltip: `Shipshape: ${summary}`, command: problems };
  }
}

/** Counts Shipshape diagnostics by LSP severity number (1 error, 2 warning, 3/4 info). */
export function countDiagnostics(severities: Iterable<number>): DiagnosticCounts {
  const counts: DiagnosticCounts = { error: 0, warning: 0, info: 0 };
  for (const s of severities) {
    if (s === 1) counts.error++;
    else if (s === 2) counts.warning++;
    else counts.info++;
  }
  return counts;
}
