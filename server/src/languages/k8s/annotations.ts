import { isMap, isScalar, type Node as YamlNode } from 'yaml';
import type { K8sFile } from './parser';
import type { Directive } from '../../core/directives';

/** The annotation that suppresses rules on one Kubernetes object: `shipshape.dev/ignore: "<id>,<id>"`. */
export const IGNORE_ANNOTATION = 'shipshape.dev/ignore';

/**
 * One `object` directive per manifest whose `metadata.annotations` carry
 * {@link IGNORE_ANNOTATION}; it covers the whole `---` document. Ids are
 * located in the source text of the annotation's value, so findings about
 * them point at the id itself.
 */
export function annotationDirectives(file: K8sFile): Directive[] {
  const out: Directive[] = [];
  for (const d of file.docs) {
    let value: YamlNode | undefined;
    try {
      const node: unknown = d.doc.getIn(['metadata', 'annotations', IGNORE_ANNOTATION], true);
      value = isScalar(node) ? node : undefined;
    } catch {
      continue; // odd shapes (a scalar where a map belongs): nothing to honour
    }
    if (!isMap(d.doc.contents) || !value?.range || typeof (value as { value?: unknown }).value !== 'string') continue;
    const [start, end] = value.range;
    const raw = file.source.text.slice(start, end);
    const ruleIds: Directive['ruleIds'] = [];
    const idPattern = /[^\s,"'|>-][^\s,"']*/g;
    for (let m = idPattern.exec(raw); m; m = idPattern.exec(raw)) {
      ruleIds.push({ id: m[0], span: { start: start + m.index, end: start + m.index + m[0].length } });
    }
    if (ruleIds.length === 0) continue;
    out.push({ kind: 'object', ruleIds, span: { start, end }, range: d.span, targetLine: -1 });
  }
  return out;
}
