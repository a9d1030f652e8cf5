import { QUANTITY_PATTERN, quantityScalar } from '../../languages/k8s/model/quantity';
import { reportMissingResources } from '../shared/resources-report';
import { THIRD_PARTY_IMAGES_OPTION } from '../shared/third-party-images';
import { defineK8sRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import { k8sContainers, type Container } from '../../languages/k8s/model/workloads';
import { hasLimitRangeDefault, insertResources, isKustomizePatch, namespaceOf, resourceValue, type ResourceName } from '../../languages/k8s/model/resources';
import type { K8sFile } from '../../languages/k8s/parser';

interface Options {
  /** A quantity: Kubernetes takes `"500m"` and `1` alike. */
  defaultCpu: string | number;
  defaultMemory: string | number;
}

/**
 * Flags workload containers whose CPU or memory request is unset: neither
 * `requests.<r>` nor `limits.<r>` (the API server copies a limit into a missing
 * request) nor a LimitRange default in the same file. Skips init containers and
 * fragments (no `image`, merge keys, kustomize patches).
 */
export const rule = defineK8sRule({
  id: 'k8s/missing-requests',
  meta: {
    title: 'Container without resource requests',
    description: 'A container without requests is scheduled as if it needed nothing: with none at all it is BestEffort and evicted first when the node runs short.',
    severity: 'warning',
    fixable: true,
    messages: {
      both: 'container {name} has no resource requests: BestEffort QoS, evicted first when its node runs short',
      memory: 'container {name} has no memory request: the scheduler counts it as 0 and can overpack the node',
      cpu: 'container {name} has no CPU request: it gets the smallest CPU share when the node is busy',
    },
    options: {
      ...THIRD_PARTY_IMAGES_OPTION,
      defaultCpu: { type: ['string', 'number'], description: 'CPU request the fix inserts.', default: '100m', pattern: QUANTITY_PATTERN, minimum: 0 },
      defaultMemory: { type: ['string', 'number'], description: 'Memory request the fix inserts.', default: '128Mi', pattern: QUANTITY_PATTERN, minimum: 0 },
    },
  },
  check(ctx, file) {
    if (isKustomizePatch(ctx.workspace, ctx.filePath)) return;
    for (const c of k8sContainers(file)) {
      if (c.isPartial) continue;
      const ns = namespaceOf(c);
      const missing = (r: ResourceName): boolean =>
        resourceValue(file, c, 'requests', r) === undefined && resourceValue(file, c, 'limits', r) === undefined &&
        !hasLimitRangeDefault(file, ns, 'requests', r) && !hasLimitRangeDefault(file, ns, 'limits', r);
      const memory = missing('memory');
      const cpu = missing('cpu');
      reportMissingResources(ctx, c, { memory, cpu }, (resources) => requestFixes(file, c, resources, ctx.options));
    }
  },
});

function requestFixes(file: K8sFile, c: Container, resources: readonly ResourceName[], options: Options): Fix[] {
  // A configured default goes into the manifest only as a valid quantity scalar, never verbatim.
  const scalars = resources.map((r) => [r, quantityScalar(r === 'cpu' ? options.defaultCpu : options.defaultMemory)] as const);
  if (scalars.some(([, v]) => v === undefined)) return [];
  const values = scalars.map(([r, v]) => [r, v ?? ''] as const);
  const edits = insertResources(file, c, 'requests', values);
  if (!edits) return [];
  return [{ title: `Add requests ${values.map(([r, v]) => `${r}: ${v}`).join(', ')}`, edits, preferred: true, safe: false }];
}
