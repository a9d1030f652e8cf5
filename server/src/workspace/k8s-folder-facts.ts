import { defineAnalysis } from '../core/analysis';
import { labelsOf, mapAt, mapItems, mapPath, seqAt, textAt } from '../languages/k8s/nodes';
import { K8S_OBJECTS, K8S_WORKLOADS, resourceEntry, type Workload } from '../languages/k8s/model/workloads';

/** What a manifest tells the other files of its folder about one workload: plain data. */
export interface WorkloadFact {
  kind: string;
  name?: string;
  namespace?: string;
  /** The pod template's labels in order; undefined when absent or not plain scalars. */
  labels?: [string, string][];
  /** Port names of the (non-init) containers. */
  portNames: string[];
  /** Non-init containers: is the spec partial (merge keys), is there a request or limit per resource? */
  containers: { name?: string; isPartial: boolean; cpu: boolean; memory: boolean }[];
}

/** The workloads of one manifest file as facts (read for the other files of the folder without their trees). */
export const WORKLOAD_FACTS = defineAnalysis({
  id: 'k8s/workload-facts',
  on: 'k8s-file',
  fact: true,
  requires: [K8S_WORKLOADS],
  build: (_file, pass): WorkloadFact[] => pass.resultOf(K8S_WORKLOADS).map(toFact),
});

/** The labels of a workload's pods (its template's, a bare Pod's own); undefined when absent or not plain scalars. */
export function podLabels(w: Workload): Map<string, string> | undefined {
  return labelsOf(mapPath(w.doc, w.template, ['metadata', 'labels']) ?? (w.object.kind === 'Pod' ? mapPath(w.doc, w.object.map, ['metadata', 'labels']) : undefined));
}

function toFact(w: Workload): WorkloadFact {
  const labels = podLabels(w);
  const has = (c: Workload['containers'][number], resource: string): boolean => !!resourceEntry(c, 'requests', resource) || !!resourceEntry(c, 'limits', resource);
  return {
    kind: w.object.kind,
    name: w.object.name,
    namespace: w.object.namespace,
    labels: labels ? [...labels] : undefined,
    portNames: w.containers.flatMap((c) => c.ports.map((port) => port.name).filter((n): n is string => n !== undefined)),
    containers: w.containers.map((c) => ({ name: c.name, isPartial: c.isPartial, cpu: has(c, 'cpu'), memory: has(c, 'memory') })),
  };
}


/** What a manifest tells the other files of its folder about one Service: plain data. */
export interface ServiceFact {
  name?: string;
  namespace?: string;
  /** The selector in order; empty when the Service selects nothing (endpoints managed by hand). */
  selector: [string, string][];
  /** True when the Service only exposes metrics (its name, or every port name, says metrics/prometheus/monitoring). */
  metricsOnly: boolean;
}

const METRICS_NAME = /(^|[-_.])(metrics|prometheus|monitoring|exporter)([-_.]|$)/i;

/** The Services of one manifest file, with plain-scalar selectors. */
export const SERVICE_FACTS = defineAnalysis({
  id: 'k8s/service-facts',
  on: 'k8s-file',
  fact: true,
  requires: [K8S_OBJECTS],
  build: (_file, pass): ServiceFact[] =>
    pass.resultOf(K8S_OBJECTS).flatMap((o) => {
      if (o.kind !== 'Service') return [];
      const doc = o.doc.doc;
      const selector = labelsOf(mapPath(doc, o.map, ['spec', 'selector']));
      const portNames = mapItems(doc, seqAt(doc, mapAt(doc, o.map, 'spec'), 'ports')).map((p) => textAt(doc, p, 'name') ?? '');
      const metricsOnly = METRICS_NAME.test(o.name ?? '') || (portNames.length > 0 && portNames.every((n) => /metrics|prometheus|monitoring/i.test(n)));
      return selector && selector.size > 0 ? [{ name: o.name, namespace: o.namespace, selector: [...selector], metricsOnly }] : [];
    }),
});

/** What a manifest tells the other files of its folder about one autoscaler: plain data. */
export interface AutoscalerFact {
  /** `HorizontalPodAutoscaler`, or KEDA's `ScaledObject` (which creates one). */
  kind: string;
  name?: string;
  namespace?: string;
  targetKind: string;
  targetName: string;
}

/** The HPAs and KEDA ScaledObjects of one manifest file, with their scale targets. */
export const AUTOSCALER_FACTS = defineAnalysis({
  id: 'k8s/autoscaler-facts',
  on: 'k8s-file',
  fact: true,
  requires: [K8S_OBJECTS],
  build: (_file, pass): AutoscalerFact[] =>
    pass.resultOf(K8S_OBJECTS).flatMap((o) => {
      if (o.kind !== 'HorizontalPodAutoscaler' && o.kind !== 'ScaledObject') return [];
      const ref = mapPath(o.doc.doc, o.map, ['spec', 'scaleTargetRef']);
      const targetName = textAt(o.doc.doc, ref, 'name');
      // KEDA's scaleTargetRef.kind defaults to Deployment.
      const targetKind = textAt(o.doc.doc, ref, 'kind') ?? (o.kind === 'ScaledObject' ? 'Deployment' : undefined);
      return targetName && targetKind ? [{ kind: o.kind, name: o.name, namespace: o.namespace, targetKind, targetName }] : [];
    }),
});
