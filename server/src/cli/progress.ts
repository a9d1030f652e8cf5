import * as path from 'node:path';
import { relativePath } from './report';

/** Shown only after this long: short audits never flash a bar. */
const DELAY_MS = 2000;
const REDRAW_MS = 100;
const BAR_WIDTH = 24;

export interface Progress {
  update(done: number, total: number, file: string): void;
  /** Clears the bar (before the report and notices are written). */
  finish(): void;
}

export const NO_PROGRESS: Progress = { update() {}, finish() {} };

/**
 * A one-line progress bar on stderr, `[#####-----] 120/500 files  svc/api`,
 * redrawn in place; appears once the audit has run ~2 s. The caller decides
 * when it may show at all (a TTY, a human format, not --quiet).
 */
export function terminalProgress(write: (text: string) => void, cwd: string, columns: number, now: () => number = () => performance.now()): Progress {
  const started = now();
  let lastDraw = -Infinity;
  let shown = false;
  return {
    update(done, total, file) {
      const t = now();
      if (t - started < DELAY_MS || (t - lastDraw < REDRAW_MS && done < total)) return;
      lastDraw = t;
      shown = true;
      const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
      const folder = relativePath(cwd, path.dirname(file)) || '.';
      const line = `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total} files  ${folder}`;
      write(`\r${line.slice(0, Math.max(20, columns - 1))}\x1b[K`);
    },
    finish() {
      if (shown) write('\r\x1b[K');
      shown = false;
    },
  };
}
