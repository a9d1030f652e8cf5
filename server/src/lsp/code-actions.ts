import {
  CodeActionKind, type CodeAction, type CodeActionParams, type CreateFile, type Diagnostic, type TextDocumentEdit, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver';
import type { FileAnalysis } from '../engine/analyze';
import { isCreateFile, preferredFix, resolveFixes, type Finding, type Fix, type TextEditData } from '../core/finding';
import { editsIdentical, selectNonOverlapping } from '../engine/fixes';
import type { SourceText } from '../core/source-text';
import { SHOW_DOCS_COMMAND } from '../host-shared/protocol';
import { bundledDocsUri, type RuleDocsLinks } from '../host-shared/rule-docs';
import { isDiagnosticData, type SourceLookup } from './diagnostics';
import { ignoreFileEdit, ignoreLineEdit } from './ignore-edits';
import { pathToUri } from './workspace-state';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.shipshape`;

export interface EditCapabilities {
  /** Client takes `documentChanges` with `create` operations (needed for fixes that create files). */
  documentChanges: boolean;
  createFiles: boolean;
}

export interface ActionContext {
  uri: string;
  version: number;
  analysis: FileAnalysis;
  docs: RuleDocsLinks;
  lookup: SourceLookup;
  caps: EditCapabilities;
  /** Files an action may edit (see edit-scope.ts): a fix touching any other is not offered. */
  mayEdit: (filePath: string) => boolean;
}

function toTextEdits(source: SourceText, edits: readonly TextEditData[]): TextEdit[] {
  return edits.map((e) => ({ range: { start: source.positionAt(e.start), end: source.positionAt(e.end) }, newText: e.newText }));
}

/** A fix as a WorkspaceEdit; undefined when the client cannot apply it (file creation) or a target is unreadable. */
export function fixToWorkspaceEdit(fix: Fix, ctx: ActionContext): WorkspaceEdit | undefined {
  const own = ctx.analysis.path;
  const byFile = new Map<string, TextEditData[]>();
  const creates: { path: string; text: string }[] = [];
  for (const e of fix.edits) {
    if (isCreateFile(e)) creates.push({ path: e.createFile, text: e.text });
    else {
      const file = e.file ?? own;
      byFile.set(file, [...(byFile.get(file) ?? []), e]);
    }
  }
  if (![...byFile.keys(), ...creates.map((c) => c.path)].every((f) => ctx.mayEdit(f))) return undefined;
  if (creates.length === 0 && byFile.size <= 1 && [...byFile.keys()].every((f) => f === own)) {
    return { changes: { [ctx.uri]: toTextEdits(ctx.analysis.source, byFile.get(own) ?? []) } };
  }
  if (!ctx.caps.documentChanges || (creates.length > 0 && !ctx.caps.createFiles)) return undefined;
  const changes: (TextDocumentEdit | CreateFile)[] = [];
  for (const c of creates) {
    const uri = pathToUri(c.path);
    changes.push({ kind: 'create', uri, options: { ignoreIfExists: true } });
    changes.push({ textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: c.text }] });
  }
  for (const [file, edits] of byFile) {
    const source = file === own ? ctx.analysis.source : ctx.lookup(file);
    if (!source) return undefined;
    changes.push({ textDocument: { uri: file === own ? ctx.uri : pathToUri(file), version: file === own ? ctx.version : null }, edits: toTextEdits(source, edits) });
  }
  return { documentChanges: changes };
}

/** Findings the request's diagnostics point at: by key, else (stale diagnostics) by rule and overlapping range. */
function findingsFor(diagnostic: Diagnostic, analysis: FileAnalysis): Finding[] {
  const own = analysis.findings.filter((f) => f.file === analysis.path);
  if (isDiagnosticData(diagnostic.data)) {
    const byKey = own.filter((f) => f.key === diagnostic.data.key);
    if (byKey.length) return byKey;
  }
  const start = analysis.source.offsetAt(diagnostic.range.start);
  const end = analysis.source.offsetAt(diagnostic.range.end);
  return own.filter((f) => f.ruleId === diagnostic.code && f.span.start <= end && start <= f.span.end);
}

function wants(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

/**
 * Code actions in the order of style.md: for each diagnostic its fixes
 * (preferred first), then per rule "Fix all <id> in file", "Ignore <id> on
 * this line", "Ignore <id> in this file", "Show docs for <id>".
 * `source.fixAll.shipshape` is built by the caller (it re-analyses).
 */
export function quickFixes(params: CodeActionParams, ctx: ActionContext): CodeAction[] {
  if (!wants(params.context.only, CodeActionKind.QuickFix)) return [];
  const actions: CodeAction[] = [];
  const perRule = new Map<string, { diagnostics: Diagnostic[]; finding: Finding }>();
  // A document whose real path is outside the workspace gets no edits at all, only the docs link.
  const editable = ctx.mayEdit(ctx.analysis.path);
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== 'shipshape') continue;
    for (const finding of findingsFor(diagnostic, ctx.analysis)) {
      const fixes = resolveFixes(finding);
      const preferred = preferredFix(fixes);
      const ordered = preferred ? [preferred, ...fixes.filter((f) => f !== preferred)] : fixes;
      for (const fix of ordered) {
        const edit = fixToWorkspaceEdit(fix, ctx);
        if (!edit) continue;
        actions.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: fix === preferred, edit });
      }
      const entry = perRule.get(finding.ruleId);
      if (entry) entry.diagnostics.push(diagnostic);
      else perRule.set(finding.ruleId, { diagnostics: [diagnostic], finding });
    }
  }
  for (const [ruleId, { diagnostics, finding }] of perRule) {
    const fixAll = editable ? fixAllOfRule(ruleId, ctx) : undefined;
    if (fixAll) actions.push({ title: `Fix all ${ruleId} in file`, kind: CodeActionKind.QuickFix, diagnostics, edit: fixAll });
    const syntax = ctx.analysis.directiveSyntax;
    if (syntax && editable) {
      const line = ignoreLineEdit(ctx.analysis.source, syntax, ruleId, finding.span.start);
      actions.push({ title: `Ignore ${ruleId} on this line`, kind: CodeActionKind.QuickFix, diagnostics, edit: { changes: { [ctx.uri]: toTextEdits(ctx.analysis.source, [line]) } } });
      const file = ignoreFileEdit(ctx.analysis.source, syntax, ruleId);
      actions.push({ title: `Ignore ${ruleId} in this file`, kind: CodeActionKind.QuickFix, diagnostics, edit: { changes: { [ctx.uri]: toTextEdits(ctx.analysis.source, [file]) } } });
    }
    actions.push({
      title: `Show docs for ${ruleId}`,
      kind: CodeActionKind.QuickFix,
      diagnostics,
      command: { title: `Show docs for ${ruleId}`, command: SHOW_DOCS_COMMAND, arguments: [bundledDocsUri(ctx.docs, ruleId)] },
    });
  }
  return actions;
}

/**
 * "Fix all <id> in file": the preferred fix of every finding of the rule in
 * this file, non-overlapping, in one edit; offered when at least two have one
 * (for a single finding its own fix is the same action).
 */
function fixAllOfRule(ruleId: string, ctx: ActionContext): WorkspaceEdit | undefined {
  const own = ctx.analysis.path;
  const candidates: { fix: Fix; file: string }[] = [];
  for (const f of ctx.analysis.findings) {
    if (f.ruleId !== ruleId || f.file !== own) continue;
    const fix = preferredFix(resolveFixes(f));
    if (fix && fix.edits.every((e) => !isCreateFile(e) && (e.file ?? own) === own)) candidates.push({ fix, file: own });
  }
  if (candidates.length < 2) return undefined;
  const picked = selectNonOverlapping(candidates, own);
  // Identical edits of different fixes (the same import added twice) apply once, as in go/analysis.
  const edits = (picked.flatMap((p) => p.fix.edits) as TextEditData[]).filter((e, i, all) => all.findIndex((o) => editsIdentical(o, e)) === i);
  return { changes: { [ctx.uri]: toTextEdits(ctx.analysis.source, edits) } };
}

export function wantsFixAll(params: CodeActionParams): boolean {
  return params.context.only !== undefined && wants(params.context.only, FIX_ALL_KIND);
}

export { toTextEdits };
