import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { ConfigProblem } from '../engine/config/config-file';
import { SourceText } from '../core/source-text';
import { readSideText } from '../engine/safe-read';
import type { Log } from './log';
import { pathToUri } from './workspace-state';

/** Problems of `.shipshape.yaml` files, shown as diagnostics on the config file itself (once per file until it changes). */
export class ConfigProblems {
  private readonly shown = new Map<string, string>();

  constructor(
    private readonly publish: (uri: string, diagnostics: Diagnostic[]) => void,
    private readonly log: Log,
  ) {}

  report(problems: readonly ConfigProblem[]): void {
    const byFile = new Map<string, ConfigProblem[]>();
    for (const p of problems) byFile.set(p.file, [...(byFile.get(p.file) ?? []), p]);
    for (const [file, list] of byFile) {
      const key = JSON.stringify(list);
      if (this.shown.get(file) === key) continue;
      this.shown.set(file, key);
      this.log.warn(`${file}: invalid config, using the editor settings until it is fixed:\n${list.map((p) => `  ${p.line}:${p.column} ${p.message}`).join('\n')}`);
      const source = new SourceText(readOrEmpty(file));
      const diagnostics = list.map((p): Diagnostic => ({
        range: { start: source.positionAt(p.start), end: source.positionAt(p.end) },
        severity: DiagnosticSeverity.Error,
        source: 'shipshape',
        message: p.message,
      }));
      this.publish(pathToUri(file), diagnostics);
    }
  }

  /** Config files may have changed: clear what was shown (a re-read reports again if still invalid). */
  clear(): void {
    for (const file of this.shown.keys()) this.publish(pathToUri(file), []);
    this.shown.clear();
  }
}

/** The config file's text for positions: read like every side file (regular, capped), never a FIFO that blocks. */
function readOrEmpty(file: string): string {
  return readSideText(file) ?? '';
}
