/** Findings and fixes are plain data: hosts (LSP, CLI) only translate them. */

export type Severity = 'error' | 'warning' | 'info';
export type SeverityOrOff = Severity | 'off';

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = { info: 1, warning: 2, error: 3 };

/** Half-open range of UTF-16 offsets into a document string. */
export interface Span {
  start: number;
  end: number;
}

/** A text replacement; offsets into the ORIGINAL text of `file` (default: the finding's file). */
export interface TextEditData {
  start: number;
  end: number;
  newText: string;
  /** Absolute path of another file to edit; omitted = the finding's file. */
  file?: string;
}

/** Creates a file that does not exist yet (e.g. a `.dockerignore`). */
export interface CreateFileEdit {
  createFile: string;
  text: string;
}

export type Edit = TextEditData | CreateFileEdit;

export function isCreateFile(edit: Edit): edit is CreateFileEdit {
  return 'createFile' in edit;
}

export interface Fix {
  /** Verb phrase: "Add defer resp.Body.Close()". */
  title: string;
  edits: Edit[];
  /** The obvious fix of the finding; goldens apply it. */
  preferred?: boolean;
  /** Cannot change behaviour beyond removing the defect: eligible for fix-all and --fix. */
  safe: boolean;
}

export interface RelatedInfo {
  file: string;
  span: Span;
  message: string;
}

/** Figure values: plain numbers (bytes, cores, counts) or short texts (a quantity as written). */
export type Figures = Readonly<Record<string, number | string>>;

export interface Finding {
  ruleId: string;
  /** Absolute path of the file the finding is in. */
  file: string;
  span: Span;
  message: string;
  severity: Severity;
  /** Fixes, possibly computed lazily: call {@link resolveFixes}. */
  fixes: Fix[] | (() => Fix[]);
  related?: RelatedInfo[];
  /**
   * The numbers behind the message, by name (a struct's size, a memory limit):
   * the rule's `meta.figures` labels them; hosts render them (hover) or carry
   * them as data (JSON `figures`, SARIF `properties.figures`).
   */
  figures?: Figures;
  /** Stable within one analysis: hosts find a finding's fixes by it. */
  key: string;
}

export function resolveFixes(finding: Finding): Fix[] {
  if (typeof finding.fixes === 'function') finding.fixes = finding.fixes();
  return finding.fixes;
}

/** The fix a golden file and "apply preferred" use: the one marked preferred, else the only/first one. */
export function preferredFix(fixes: readonly Fix[]): Fix | undefined {
  return fixes.find((f) => f.preferred) ?? fixes[0];
}

/** A file the engine did not analyse, and why (never a finding). */
export interface Notice {
  file: string;
  reason: 'binary' | 'too-large' | 'unreadable' | 'generated' | 'helm-template' | 'excluded' | 'not-found' | 'unsupported' | 'internal-error' | 'outside-workspace' | 'over-budget';
  message: string;
}
