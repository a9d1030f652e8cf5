/**
 * Shipshape's custom LSP messages. Plain method names and types only (no
 * imports): the VS Code client imports this file's types, other editors'
 * configs can name the methods.
 */

/** `shipshape/audit` request: audit every Go, Dockerfile and manifest file under the workspace folders. */
export const AUDIT_METHOD = 'shipshape/audit';

export interface AuditParams {
  /** Folders to audit (file URIs); default: every workspace folder. */
  folders?: string[];
  /** Client-created progress token (LSP `WorkDoneProgressParams`); without one the server creates its own when it can. */
  workDoneToken?: string | number;
}

export interface SkippedFile {
  /** File URI. */
  uri: string;
  reason: 'binary' | 'too-large' | 'unreadable' | 'generated' | 'helm-template' | 'excluded' | 'not-found' | 'unsupported' | 'internal-error' | 'outside-workspace' | 'over-budget';
  message: string;
}

export interface AuditSummary {
  /** Files analysed (Go, Dockerfile, Kubernetes manifests). */
  files: number;
  findings: { error: number; warning: number; info: number };
  skipped: SkippedFile[];
  durationMs: number;
  /** True when the request was cancelled: the counts cover the files done so far. */
  cancelled: boolean;
  /** Of `files`, those whose findings came from the audit cache (unchanged since the last audit, even across restarts). */
  reused?: number;
}

/** `shipshape/status` notification (server → client): whether the server is analysing, for the status bar. */
export const STATUS_METHOD = 'shipshape/status';

export interface StatusParams {
  state: 'idle' | 'analysing' | 'disabled';
}

/** Command the "Show docs for <id>" code action runs; the server opens the page with `window/showDocument`. */
export const SHOW_DOCS_COMMAND = 'shipshape.showRuleDocs';

/** `shipshape/serviceMap` request: the service model of the workspace folders (what `shipshape map` prints). */
export const SERVICE_MAP_METHOD = 'shipshape/serviceMap';

export interface ServiceMapParams {
  /** Folders to map (file URIs); default: every workspace folder. */
  folders?: string[];
}

/** One row of the Service Map view: a service, a node of it, a link with its reason, or an item not linked. */
export interface ServiceMapItem {
  label: string;
  description?: string;
  tooltip?: string;
  /** What the row is, for its icon: `service`, `main`, `dockerfile`, `workload`, `container`, `link`, `unlinked`, `info`. */
  kind: string;
  /** File URI the row opens, with a zero-based line. */
  uri?: string;
  line?: number;
  children?: ServiceMapItem[];
}

export interface ServiceMapResult {
  items: ServiceMapItem[];
  services: number;
  links: number;
  unlinked: number;
  /** The same map as a Mermaid flowchart (`shipshape map -f mermaid`). */
  mermaid: string;
}
