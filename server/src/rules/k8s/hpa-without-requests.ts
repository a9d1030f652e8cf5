import { isScalar } from 'yaml';
import { defineK8sRule } from '../../engine/rule';
import type { Span } from '../../core/finding';
import { K8S_OBJECTS, type K8sObject } from '../../languages/k8s/model/workloads';
import { mapAt, mapItems, scalarAt, scalarText, seqAt, spanOf, textAt } from '../../languages/k8s/nodes';
import { workloadNamed } from '../../workspace/k8s-folder';

interface UtilizationMetric {
  resource: 'cpu' | 'memory';
  span: Span;
}

/**
 * Flags a HorizontalPodAutoscaler that scales on CPU or memory utilization
 * (autoscaling/v2 `metrics[].resource` with `target.type: Utilization`, or v1
 * `targetCPUUtilizationPercentage`) when a container of its target workload —
 * found by kind and name among the manifests of the HPA's folder — has neither
 * a request nor a limit (which becomes the request) for that resource.
 * Silent when the target is not in the folder.
 */
export const rule = defineK8sRule({
  id: 'k8s/hpa-without-requests',
  meta: {
    title: 'HPA on utilization of a resource its pods do not request',
    description: 'Utilization is usage divided by the request: when a container has no request for the resource, the HPA cannot compute it and never scales.',
    severity: 'warning',
    fixable: false,
    messages: {
      missing: 'container {container} of {target} has no {resource} request: HPA {hpa} cannot scale on its utilization',
    },
  },
  analyses: [K8S_OBJECTS],
  check(ctx, file) {
    const hpas = ctx.resultOf(K8S_OBJECTS).filter((o) => o.kind === 'HorizontalPodAutoscaler');
    if (hpas.length === 0) return;
    for (const hpa of hpas) {
      const doc = hpa.doc.doc;
      const spec = mapAt(doc, hpa.map, 'spec');
      const ref = mapAt(doc, spec, 'scaleTargetRef');
      const kind = textAt(doc, ref, 'kind');
      const name = textAt(doc, ref, 'name');
      if (!kind || !name) continue;
      const target = workloadNamed(file, ctx.workspace, ctx.filePath, kind, name, hpa.namespace);
      if (!target) continue;
      for (const m of utilizationMetrics(hpa)) {
        const c = target.containers.find((x) => !x.isPartial && !x[m.resource]);
        if (!c) continue;
        ctx.report({ span: m.span, messageId: 'missing', data: { hpa: hpa.name ?? '(unnamed)', target: `${kind}/${name}`, resource: m.resource, container: c.name ?? '(unnamed)' } });
      }
    }
  },
});

function utilizationMetrics(hpa: K8sObject): UtilizationMetric[] {
  const doc = hpa.doc.doc;
  const spec = mapAt(doc, hpa.map, 'spec');
  const out: UtilizationMetric[] = [];
  const v1 = spec?.items.find((p) => isScalar(p.key) && p.key.value === 'targetCPUUtilizationPercentage');
  const v1Span = spanOf(v1?.key);
  if (v1Span) out.push({ resource: 'cpu', span: v1Span });
  for (const metric of mapItems(doc, seqAt(doc, spec, 'metrics'))) {
    if (textAt(doc, metric, 'type') !== 'Resource') continue;
    const resource = mapAt(doc, metric, 'resource');
    const nameNode = scalarAt(doc, resource, 'name');
    const name = scalarText(nameNode);
    if (name !== 'cpu' && name !== 'memory') continue;
    const target = mapAt(doc, resource, 'target');
    // autoscaling/v2beta1 wrote targetAverageUtilization directly under resource.
    const isUtilization = textAt(doc, target, 'type') === 'Utilization' || textAt(doc, resource, 'targetAverageUtilization') !== undefined;
    const span = spanOf(nameNode);
    if (isUtilization && span) out.push({ resource: name, span });
  }
  return out;
}
