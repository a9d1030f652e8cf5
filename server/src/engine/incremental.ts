import type { Edit, Finding, Fix } from '../core/finding';
import { isCreateFile } from '../core/finding';

import type { DocumentChange } from '../core/adapter';

/** One edit of a document, as editors send them: offsets into the text BEFORE this change. */
export type TextChange = DocumentChange;

export function applyChanges(text: string, changes: readonly TextChange[]): string {
  let out = text;
  for (const c of changes) out = out.slice(0, c.start) + c.text + out.slice(c.end);
  return out;
}

/** Maps an offset of the old text through sequential changes; undefined when a change rewrote it. */
export function mapOffset(offset: number, changes: readonly TextChange[]): number | undefined {
  let o = offset;
  for (const c of changes) {
    if (o <= c.start) continue;
    if (o >= c.end) o += c.text.length - (c.end - c.start);
    else return undefined;
  }
  return o;
}

/** A finding (fixes resolved) moved through changes; undefined when any of its offsets was rewritten. */
export function shiftFinding(finding: Finding, changes: readonly TextChange[], ownFile: string): Finding | undefined {
  const start = mapOffset(finding.span.start, changes);
  const end = mapOffset(finding.span.end, changes);
  if (start === undefined || end === undefined || finding.file !== ownFile) return undefined;
  const fixes: Fix[] = [];
  for (const fix of finding.fixes as Fix[]) {
    const edits: Edit[] = [];
    for (const e of fix.edits) {
      if (isCreateFile(e) || (e.file !== undefined && e.file !== ownFile)) {
        edits.push(e);
        continue;
      }
      const s = mapOffset(e.start, changes);
      const t = mapOffset(e.end, changes);
      if (s === undefined || t === undefined) return undefined;
      edits.push({ ...e, start: s, end: t });
    }
    fixes.push({ ...fix, edits });
  }
  const related = finding.related?.map((r) => {
    if (r.file !== ownFile) return r;
    const s = mapOffset(r.span.start, changes);
    const t = mapOffset(r.span.end, changes);
    return s === undefined || t === undefined ? undefined : { ...r, span: { start: s, end: t } };
  });
  if (related?.some((r) => r === undefined)) return undefined;
  return { ...finding, span: { start, end }, fixes, related: related as Finding['related'] };
}
