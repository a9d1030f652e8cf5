import type { YAMLMap } from 'yaml';
import { defineAnalysis } from '../../core/analysis';
import type { Span } from '../../core/finding';
import { labelsOf, mapAt, mapItems, mapPath, scalarAt, seqAt, spanOf, textAt } from '../../languages/k8s/nodes';
import { K8S_OBJECTS, K8S_WORKLOADS, PROBE_KINDS, scalarsOf, type Container, type K8sObject, type ProbeKind } from '../../languages/k8s/model/workloads';
import { probeTargets } from '../../languages/k8s/model/ports';

/**
 * What one manifest file tells the service model (a fact: plain data, cached
 * by content hash): workloads and their containers (image, command/args,
 * ports, probes, env, resources, lifecycle), Services with their selectors
 * and target ports, and HPAs with their targets.
 */

export interface ManifestProbe {
  kind: ProbeKind;
  handler: 'httpGet' | 'tcpSocket' | 'grpc' | 'exec';
  path?: string;
  port?: string | number;
}

export interface ManifestContainer {
  name?: string;
  image?: string;
  imageSpan?: Span;
  span: Span;
  command?: string[];
  args?: string[];
  ports: { name?: string; containerPort?: number }[];
  probes: ManifestProbe[];
  env: { name: string; value?: string; fromSource: boolean }[];
  /** `envFrom` a ConfigMap or Secret: any variable may be set there. */
  envFrom: boolean;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  preStop: boolean;
  /** A kustomize/strategic-merge fragment: no image. */
  isPartial: boolean;
}

export interface ManifestWorkload {
  kind: string;
  name?: string;
  namespace?: string;
  span: Span;
  labels: [string, string][];
  terminationGracePeriodSeconds?: number;
  runAsNonRoot?: boolean;
  containers: ManifestContainer[];
}

export interface ManifestService {
  name?: string;
  namespace?: string;
  span: Span;
  selector: [string, string][];
  ports: { port?: number; targetPort?: string | number; name?: string }[];
}

export interface ManifestHpa {
  name?: string;
  namespace?: string;
  span: Span;
  target: { kind?: string; name?: string };
}

export interface ManifestFacts {
  workloads: ManifestWorkload[];
  services: ManifestService[];
  hpas: ManifestHpa[];
}

export const MANIFEST_FACTS = defineAnalysis({
  id: 'workspace/manifest-facts',
  on: 'k8s-file',
  fact: true,
  requires: [K8S_OBJECTS, K8S_WORKLOADS],
  build: (_file, pass): ManifestFacts => {
    const objects = pass.resultOf(K8S_OBJECTS);
    return {
      workloads: pass.resultOf(K8S_WORKLOADS).map((w) => {
        const doc = w.doc;
        const grace = Number(textAt(doc, w.podSpec, 'terminationGracePeriodSeconds'));
        const labels = labelsOf(mapPath(doc, w.template, ['metadata', 'labels']) ?? (w.object.kind === 'Pod' ? mapPath(doc, w.object.map, ['metadata', 'labels']) : undefined));
        const nonRoot = textAt(doc, mapAt(doc, w.podSpec, 'securityContext'), 'runAsNonRoot');
        return {
          kind: w.object.kind,
          name: w.object.name,
          namespace: w.object.namespace,
          span: w.object.kindSpan,
          labels: labels ? [...labels] : [],
          terminationGracePeriodSeconds: Number.isFinite(grace) && textAt(doc, w.podSpec, 'terminationGracePeriodSeconds') !== undefined ? grace : undefined,
          runAsNonRoot: nonRoot === undefined ? undefined : nonRoot === 'true',
          containers: w.containers.map(containerFact),
        };
      }),
      services: objects.filter((o) => o.kind === 'Service').map(serviceFact),
      hpas: objects.filter((o) => o.kind === 'HorizontalPodAutoscaler').map((o) => {
        const ref = mapPath(o.doc.doc, o.map, ['spec', 'scaleTargetRef']);
        return { name: o.name, namespace: o.namespace, span: o.kindSpan, target: { kind: textAt(o.doc.doc, ref, 'kind'), name: textAt(o.doc.doc, ref, 'name') } };
      }),
    };
  },
});

function containerFact(c: Container): ManifestContainer {
  const doc = c.workload.doc;
  const quantities = (m: YAMLMap | undefined): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const key of ['cpu', 'memory']) {
      const v = textAt(doc, m, key);
      if (v !== undefined) out[key] = v;
    }
    return out;
  };
  const targets = probeTargets(c);
  const probes: ManifestProbe[] = PROBE_KINDS.filter((k) => c.probes[k]).map((kind) => {
    const t = targets.find((x) => x.probe === kind);
    const probe = c.probes[kind];
    if (t) return { kind, handler: t.handler, port: t.port, path: t.handler === 'httpGet' ? textAt(doc, mapAt(doc, probe, 'httpGet'), 'path') ?? '/' : undefined };
    return { kind, handler: 'exec' };
  });
  return {
    name: c.name,
    image: c.image ? textAt(doc, c.map, 'image') : undefined,
    imageSpan: spanOf(c.image),
    span: c.span,
    command: seqAt(doc, c.map, 'command') ? scalarsOf(c, 'command') : undefined,
    args: seqAt(doc, c.map, 'args') ? scalarsOf(c, 'args') : undefined,
    ports: c.ports.map((p) => ({ name: p.name, containerPort: p.containerPort })),
    probes,
    env: c.env.map((e) => ({ name: e.name, value: e.value ? textAt(doc, e.map, 'value') : undefined, fromSource: e.valueFrom !== undefined })),
    envFrom: seqAt(doc, c.map, 'envFrom') !== undefined,
    resources: { requests: quantities(c.requests), limits: quantities(c.limits) },
    preStop: mapPath(doc, c.map, ['lifecycle', 'preStop']) !== undefined,
    isPartial: c.isPartial,
  };
}

function serviceFact(o: K8sObject): ManifestService {
  const doc = o.doc.doc;
  const spec = mapAt(doc, o.map, 'spec');
  const selector = labelsOf(mapAt(doc, spec, 'selector'));
  return {
    name: o.name,
    namespace: o.namespace,
    span: o.kindSpan,
    selector: selector ? [...selector] : [],
    ports: mapItems(doc, seqAt(doc, spec, 'ports')).map((p) => {
      const port = Number(textAt(doc, p, 'port'));
      const target = textAt(doc, p, 'targetPort');
      const quoted = scalarAt(doc, p, 'targetPort')?.type === 'QUOTE_DOUBLE';
      return {
        name: textAt(doc, p, 'name'),
        port: Number.isInteger(port) ? port : undefined,
        targetPort: target === undefined ? undefined : /^\d+$/.test(target) && !quoted ? Number(target) : target,
      };
    }),
  };
}
