import { defineK8sRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import { k8sContainers, envVar } from '../../languages/k8s/model/workloads';
import { resourceValue } from '../../languages/k8s/model/resources';
import { resourceFieldRef } from '../../languages/k8s/model/env';
import { correctGoByteCount, parseGoByteCount, parseQuantity } from '../../languages/k8s/model/quantity';
import { mapAt, scalarAt, scalarText, spanOf } from '../../languages/k8s/nodes';
import { replaceScalar } from '../../languages/k8s/edits/yaml-edit';

/**
 * Flags `GOMEMLIMIT` env values the Go runtime cannot parse (it exits at
 * start-up), values at or above the container's memory limit, and
 * `resourceFieldRef` sources with a divisor, which Go then reads as bytes.
 * Init containers included. Values from ConfigMaps/Secrets are not known.
 */
export const rule = defineK8sRule({
  id: 'k8s/gomemlimit-invalid',
  meta: {
    title: 'GOMEMLIMIT the Go runtime rejects or that is not below the memory limit',
    description: 'GOMEMLIMIT takes a byte count with B, KiB, MiB, GiB or TiB; anything else stops the program at start-up, and a value at the memory limit leaves the GC no room.',
    severity: 'error',
    fixable: true,
    messages: {
      malformed: 'env GOMEMLIMIT={value} is not a Go byte count (B, KiB, MiB, GiB, TiB): the program exits at start-up',
      notBelow: 'env GOMEMLIMIT={value} is not below limits.memory {limit}: the GC acts only after the OOM kill',
      divisor: 'env GOMEMLIMIT from limits.memory with divisor {divisor}: Go reads the number as bytes, GCs nonstop',
    },
    figures: {
      memoryLimit: { label: 'Memory limit (limits.memory)', unit: 'bytes' },
      gomemlimit: { label: 'GOMEMLIMIT as Go reads it', unit: 'bytes' },
      headroom: { label: 'Headroom below the limit', unit: 'bytes' },
    },
  },
  check(ctx, file) {
    for (const c of k8sContainers(file, { init: true })) {
      const e = envVar(c, 'GOMEMLIMIT');
      if (!e) continue;
      const limit = resourceValue(file, c, 'limits', 'memory');
      const value = scalarText(e.value);
      const valueSpan = spanOf(e.value);
      if (e.value && value !== undefined && value !== '' && valueSpan) {
        const bytes = parseGoByteCount(value);
        if (bytes === undefined) {
          const fixed = correctGoByteCount(value);
          const node = e.value;
          ctx.report({ span: valueSpan, messageId: 'malformed', data: { value }, fixes: () => suffixFix(node, fixed) });
        } else if (limit?.quantity && limit.quantity.value > 0 && bytes >= limit.quantity.value && bytes !== Infinity) {
          ctx.report({
            span: valueSpan, messageId: 'notBelow', data: { value, limit: limit.text }, severity: 'warning',
            figures: { memoryLimit: limit.quantity.value, gomemlimit: bytes, headroom: limit.quantity.value - bytes },
          });
        }
        continue;
      }
      const ref = resourceFieldRef(c, e);
      if (!ref || ref.resource !== 'limits.memory' || ref.divisor === undefined) continue;
      const divisor = parseQuantity(ref.divisor);
      if (divisor && divisor.value === 1) continue;
      const divisorNode = scalarAt(c.workload.doc, mapAt(c.workload.doc, e.valueFrom, 'resourceFieldRef'), 'divisor');
      const span = spanOf(divisorNode);
      if (!divisorNode || !span) continue;
      const limitBytes = limit?.quantity?.value;
      const figures = limitBytes && divisor ? { memoryLimit: limitBytes, gomemlimit: Math.ceil(limitBytes / divisor.value) } : undefined;
      ctx.report({ span, messageId: 'divisor', data: { divisor: ref.divisor }, ...(figures ? { figures } : {}), fixes: () => {
        const edit = replaceScalar(divisorNode, divisorNode.type === 'PLAIN' ? '"1"' : '1');
        return edit ? [{ title: 'Set the divisor to 1 (bytes)', edits: [edit], preferred: true, safe: true }] : [];
      } });
    }
  },
});

function suffixFix(node: Parameters<typeof replaceScalar>[0], fixed: string | undefined): Fix[] {
  if (!fixed) return [];
  const edit = replaceScalar(node, fixed);
  return edit ? [{ title: `Change to ${fixed}`, edits: [edit], preferred: true, safe: true }] : [];
}
