import type { FailOn } from './report';
import type { OutputSpec } from './outputs';
import type { RuleFlags } from './rule-flags';

export interface AuditCommandOptions {
  /** Every report to write (at most one to stdout); see outputs.ts. */
  outputs: OutputSpec[];
  failOn: FailOn;
  quiet: boolean;
  config?: string;
  inlineConfig: boolean;
  fix: boolean;
  fixDryRun: boolean;
  maxFileSize?: number;
  jobs?: number;
  /** `--cache`: reuse unchanged files' findings (engine/audit-cache.ts); `--cache-location` moves the file. */
  cache?: boolean;
  cacheLocation?: string;
  /** Honour `.gitignore` (false: `--no-ignore`). */
  ignore: boolean;
  ruleFlags?: RuleFlags;
  baseline?: string;
  writeBaseline?: string;
  newFromRev?: string;
  newFromPatch?: string;
  /** `--stdin --stdin-filename PATH`: audit stdin's text as if it were PATH. */
  stdinFilename?: string;
}

export interface Io {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Colour text output (stdout is a TTY and NO_COLOR is unset). */
  color: boolean;
  /** stderr is a terminal: a progress bar may be drawn there. */
  stderrIsTTY?: boolean;
  columns?: number;
  readStdin?: () => Promise<string>;
}

