import { QUANTITY_PATTERN, quantityScalar } from '../../languages/k8s/model/quantity';
import { reportMissingResources } from '../shared/resources-report';
import { THIRD_PARTY_IMAGES_OPTION } from '../shared/third-party-images';
import { defineK8sRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import { k8sContainers, type Container } from '../../languages/k8s/model/workloads';
import { hasLimitRangeDefault, insertResources, isKustomizePatch, namespaceOf, resourceValue, type ResourceName } from '../../languages/k8s/model/resources';
import type { K8sFile } from '../../languages/k8s/parser';

interface Options {
  cpu: boolean;
  /** A quantity: Kubernetes takes `"500m"` and `1` alike. */
  defaultCpu: string | number;
  defaultMemory: string | number;
}

/**
 * Flags workload containers without `resources.limits.memory` (warning) or
 * `limits.cpu` (info, option `cpu`). One finding per container. Skips init
 * containers, fragments (no `image`, merge keys, kustomize patches) and
 * namespaces whose LimitRange in the same file supplies a default.
 */
export const rule = defineK8sRule({
  id: 'k8s/missing-limits',
  meta: {
    title: 'Container without resource limits',
    description: 'A container without a memory limit can grow until the node runs out of memory and the kernel kills other pods; without a CPU limit it may use idle CPU, while other pods still get their CPU requests.',
    severity: 'warning',
    fixable: true,
    messages: {
      both: 'container {name} has no limits.memory or limits.cpu: a memory leak grows until the node OOM-kills its neighbours',
      memory: 'container {name} has no limits.memory: a leak grows until the node OOM-kills its neighbours',
      cpu: "container {name} has no limits.cpu: it may use idle CPU of its node; other pods' CPU requests are still honoured",
    },
    options: {
      ...THIRD_PARTY_IMAGES_OPTION,
      cpu: { type: 'boolean', description: 'Also report a missing `limits.cpu` (at info severity).', default: true },
      defaultCpu: { type: ['string', 'number'], description: 'CPU limit the fix inserts when the container has no CPU request to copy.', default: '500m', pattern: QUANTITY_PATTERN, minimum: 0 },
      defaultMemory: { type: ['string', 'number'], description: 'Memory limit the fix inserts when the container has no memory request to copy.', default: '512Mi', pattern: QUANTITY_PATTERN, minimum: 0 },
    },
  },
  check(ctx, file) {
    if (isKustomizePatch(ctx.workspace, ctx.filePath)) return;
    for (const c of k8sContainers(file)) {
      if (c.isPartial) continue;
      const ns = namespaceOf(c);
      const missing = (r: ResourceName): boolean => resourceValue(file, c, 'limits', r) === undefined && !hasLimitRangeDefault(file, ns, 'limits', r);
      const memory = missing('memory');
      const cpu = ctx.options.cpu && missing('cpu');
      reportMissingResources(ctx, c, { memory, cpu }, (resources) => limitFixes(file, c, resources, ctx.options));
    }
  },
});

function limitFixes(file: K8sFile, c: Container, resources: readonly ResourceName[], options: Options): Fix[] {
  const values = resources.map((r) => {
    const request = resourceValue(file, c, 'requests', r);
    // A configured default goes into the manifest only as a valid quantity scalar, never verbatim.
    const fallback = quantityScalar(r === 'cpu' ? options.defaultCpu : options.defaultMemory);
    return [r, request?.quantity ? request.source : fallback] as const;
  });
  if (values.some(([, v]) => v === undefined)) return [];
  const fields = values.map(([r, v]) => [r, v ?? ''] as const);
  const edits = insertResources(file, c, 'limits', fields);
  if (!edits) return [];
  const fromRequests = fields.every(([r, v]) => v === resourceValue(file, c, 'requests', r)?.source);
  const title = `Add limits ${fields.map(([r, v]) => `${r}: ${v}`).join(', ')}${fromRequests ? ' (equal to requests)' : ''}`;
  return [{ title, edits, preferred: true, safe: false }];
}
