import type { StatusParams } from '../../server/src/protocol';

export interface DiagnosticCounts {
  error: number;
  warning: number;
  info: number;
}

export interface StatusView {
  text: string;
  tooltip: string;
}

/** The status bar item's text: analysing, idle with counts, or off. Pure (no VS Code), unit-tested. */
export function statusView(state: StatusParams['state'] | 'starting' | 'stopped', counts: DiagnosticCounts): StatusView {
  const total = counts.error + counts.warning + counts.info;
  const summary = `${counts.error} error(s), ${counts.warning} warning(s), ${counts.info} info — click to open the Problems panel`;
  switch (state) {
    case 'starting':
      return { text: '$(loading~spin) Shipshape', tooltip: 'Shipshape: starting the server' };
    case 'stopped':
      return { text: '$(error) Shipshape', tooltip: 'Shipshape: the server is not running — see "Shipshape: Show Output"' };
    case 'disabled':
      return { text: '$(circle-slash) Shipshape', tooltip: 'Shipshape is disabled (shipshape.enable)' };
    case 'analysing':
      return { text: '$(sync~spin) Shipshape', tooltip: `Shipshape: analysing — ${summary}` };
    default:
      if (total === 0) return { text: '$(check) Shipshape', tooltip: 'Shipshape: no findings' };
      return { text: `$(warning) Shipshape ${total}`, tooltip: `Shipshape: ${summary}` };
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
