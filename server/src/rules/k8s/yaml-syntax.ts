import { isScalar, visit, type Document } from 'yaml';
import { defineK8sRule } from '../../engine/rule';
import type { Span } from '../../core/finding';

/**
 * Flags YAML that kubectl cannot load: syntax errors (the first per document,
 * since later ones usually cascade from it) and every duplicate key before
 * that error (kubectl rejects them; other tools silently keep one value). Runs only on files the
 * engine takes for manifests (apiVersion/kind, a manifest folder, a kustomization).
 */
export const rule = defineK8sRule({
  id: 'k8s/yaml-syntax',
  meta: {
    title: 'YAML syntax error or duplicate key in a manifest',
    description: 'Manifests that do not parse, or that repeat a key, are rejected by kubectl or applied with one of the values silently dropped.',
    severity: 'error',
    fixable: false,
    messages: {
      syntax: 'yaml syntax error: {detail}; kubectl cannot apply this document',
      duplicate: 'duplicate key {key}: kubectl rejects the document, other tools keep only one value',
      warning: 'yaml warning: {detail}',
    },
  },
  check(ctx, file) {
    for (const d of file.docs) {
      let reportedSyntax = false;
      let keys: Map<number, { span: Span; text: string }> | undefined;
      const problems = [...d.doc.errors.map((e) => ({ e, severity: 'error' as const })), ...d.doc.warnings.map((e) => ({ e, severity: 'warning' as const }))];
      // After a syntax error the parser's idea of the structure is off: "duplicate" keys there are
      // usually cascades (a mis-indented `kind:` makes every later document part of the first).
      const firstSyntax = Math.min(...d.doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY').map((e) => e.pos[0]));
      for (const { e, severity } of problems) {
        const span: Span = { start: e.pos[0], end: Math.max(e.pos[0], e.pos[1]) };
        if (e.code === 'DUPLICATE_KEY') {
          if (span.start > firstSyntax) continue;
          keys ??= scalarKeysByOffset(d.doc);
          const key = keys.get(span.start);
          ctx.report({ span: key?.span ?? span, messageId: 'duplicate', data: { key: key?.text ?? '' } });
          continue;
        }
        if (reportedSyntax) continue;
        reportedSyntax = true;
        const detail = lowerFirst(e.message.split('\n')[0]);
        // An unclosed quote is reported at the end of the text it swallowed; its opening line is more useful.
        const quote = e.code === 'MISSING_CHAR' && /quote/i.test(e.message) ? unclosedQuoteAt(d.doc, span.start, file.source.text) : undefined;
        ctx.report({ span: quote ?? span, messageId: severity === 'error' ? 'syntax' : 'warning', data: { detail }, severity });
      }
    }
  },
});

/** Scalar keys of a document by start offset, collected once: one walk per duplicate made many duplicates quadratic. */
function scalarKeysByOffset(doc: Document.Parsed): Map<number, { span: Span; text: string }> {
  const keys = new Map<number, { span: Span; text: string }>();
  visit(doc, {
    Pair(_, pair) {
      const k = pair.key;
      if (isScalar(k) && k.range && !keys.has(k.range[0])) keys.set(k.range[0], { span: { start: k.range[0], end: k.range[1] }, text: String(k.value) });
    },
  });
  return keys;
}

function unclosedQuoteAt(doc: Document.Parsed, offset: number, text: string): Span | undefined {
  let found: Span | undefined;
  visit(doc, {
    Scalar(_, s) {
      if ((s.type === 'QUOTE_DOUBLE' || s.type === 'QUOTE_SINGLE') && s.range && s.range[0] < offset && s.range[1] >= offset) {
        const start = s.range[0];
        let end = start;
        while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++;
        found = { start, end };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

function lowerFirst(s: string): string {
  return s.length > 1 && /^[A-Z][a-z]/.test(s) ? s[0].toLowerCase() + s.slice(1) : s;
}
