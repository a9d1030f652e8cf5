import { defineK8sRule } from '../../engine/rule';
import { k8sContainers } from '../../languages/k8s/model/workloads';
import { resourceFieldRef } from '../../languages/k8s/model/env';
import { parseQuantity } from '../../languages/k8s/model/quantity';
import { mapAt, scalarAt, spanOf } from '../../languages/k8s/nodes';
import { replaceScalar } from '../../languages/k8s/edits/yaml-edit';

/**
 * Flags `GOMAXPROCS` taken from `resourceFieldRef` on `limits.cpu` or
 * `requests.cpu` with a divisor other than 1: `divisor: 1m` turns a 500m
 * limit into GOMAXPROCS=500. Init containers included.
 */
export const rule = defineK8sRule({
  id: 'k8s/gomaxprocs-divisor',
  meta: {
    title: 'GOMAXPROCS from the CPU limit with a divisor other than 1',
    description: 'resourceFieldRef divides the CPU quantity by its divisor: with 1m, a 500m limit becomes GOMAXPROCS=500 and the Go scheduler runs hundreds of threads on half a core.',
    severity: 'error',
    fixable: true,
    messages: {
      divisor: 'env GOMAXPROCS from {resource} with divisor {divisor} is {example}: far more threads than CPUs',
      tooFew: 'env GOMAXPROCS from {resource} with divisor {divisor} is {example}: fewer threads than CPUs',
    },
    figures: {
      cpuLimit: { label: 'CPU quantity the env reads', unit: 'cpu' },
      gomaxprocs: { label: 'GOMAXPROCS the divisor gives', unit: 'count' },
      suggestedGomaxprocs: { label: 'GOMAXPROCS with divisor 1', unit: 'count' },
    },
  },
  check(ctx, file) {
    for (const c of k8sContainers(file, { init: true })) {
      const e = c.env.filter((v) => v.name === 'GOMAXPROCS').pop();
      if (!e?.valueFrom) continue;
      const ref = resourceFieldRef(c, e);
      if (!ref || (ref.resource !== 'limits.cpu' && ref.resource !== 'requests.cpu') || ref.divisor === undefined) continue;
      const divisor = parseQuantity(ref.divisor);
      if (!divisor || divisor.value === 1) continue;
      const node = scalarAt(c.workload.doc, mapAt(c.workload.doc, e.valueFrom, 'resourceFieldRef'), 'divisor');
      const span = spanOf(node);
      if (!node || !span) continue;
      const side = ref.resource === 'limits.cpu' ? c.limits : c.requests;
      const limitText = side ? scalarAt(c.workload.doc, side, 'cpu') : undefined;
      const cpu = limitText ? parseQuantity(String(limitText.source ?? limitText.value)) : undefined;
      const example = cpu ? `${Math.ceil(cpu.value / divisor.value)} for ${cpu.text}` : divisor.value < 1 ? `${Math.round(1 / divisor.value)} per core` : `1 per ${divisor.text} cores`;
      ctx.report({
        span,
        messageId: divisor.value < 1 ? 'divisor' : 'tooFew',
        data: { resource: ref.resource, divisor: ref.divisor, example },
        ...(cpu ? { figures: { cpuLimit: cpu.value, gomaxprocs: Math.ceil(cpu.value / divisor.value), suggestedGomaxprocs: Math.max(1, Math.ceil(cpu.value)) } } : {}),
        fixes: () => {
          const edit = replaceScalar(node, node.type === 'PLAIN' ? '"1"' : '1');
          return edit ? [{ title: 'Set the divisor to 1', edits: [edit], preferred: true, safe: true }] : [];
        },
      });
    }
  },
});
