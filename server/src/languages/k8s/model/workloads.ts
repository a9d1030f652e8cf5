import { isMap, isAlias, isScalar, type Document, type Scalar, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Span } from '../../../core/finding';
import type { K8sDoc, K8sFile } from '../parser';
import { entryOf, hasMergeKey, mapAt, mapItems, mapPath, scalarAt, scalarText, seqAt, spanOf, textAt } from '../nodes';
import { defineAnalysis, resultOf } from '../../../core/analysis';

/**
 * The Kubernetes objects of a manifest file and the workloads among them,
 * built once per parsed file and shared by every k8s rule. Nodes keep their
 * source ranges; nothing here copies or rewrites YAML.
 */

export interface K8sObject {
  readonly doc: K8sDoc;
  readonly map: YAMLMap;
  readonly apiVersion: string;
  readonly kind: string;
  readonly name?: string;
  readonly namespace?: string;
  /** Span of the `kind` value, to report about the object as a whole. */
  readonly kindSpan: Span;
  /** True for items of a `List` (or `*List`) object. */
  readonly inList: boolean;
}

export type ProbeKind = 'livenessProbe' | 'readinessProbe' | 'startupProbe';
export const PROBE_KINDS: readonly ProbeKind[] = ['livenessProbe', 'readinessProbe', 'startupProbe'];

export interface EnvVar {
  readonly map: YAMLMap;
  readonly name: string;
  readonly nameNode: Scalar;
  /** `value:` as a scalar, when set. */
  readonly value?: Scalar;
  readonly valueFrom?: YAMLMap;
}

export interface ContainerPort {
  readonly map: YAMLMap;
  readonly name?: string;
  readonly containerPort?: number;
  /** `protocol` as written; the API defaults it to TCP. */
  readonly protocol?: string;
}

export interface Container {
  readonly workload: Workload;
  readonly map: YAMLMap;
  readonly isInit: boolean;
  readonly name?: string;
  /** Where findings about the container go: its `name` value, else its first key. */
  readonly span: Span;
  readonly image?: Scalar;
  readonly resources?: YAMLMap;
  readonly limits?: YAMLMap;
  readonly requests?: YAMLMap;
  readonly envSeq?: YAMLSeq;
  readonly env: readonly EnvVar[];
  readonly ports: readonly ContainerPort[];
  readonly probes: Readonly<Partial<Record<ProbeKind, YAMLMap>>>;
  readonly securityContext?: YAMLMap;
  /**
   * True when the container uses YAML merge keys (`<<: *base`): what it holds
   * cannot be known without merging, so "missing field" rules stay silent on it.
   * A container without `image` is not partial: the API leaves `image` optional
   * so that tools can fill it in, and what the container sets is still what runs.
   * Fragments are files a kustomization lists as patches: rules skip those files.
   */
  readonly isPartial: boolean;
  /** True when some of the container's fields come from an alias: edits there are not offered. */
  readonly usesAliases: boolean;
}

export interface Workload {
  readonly object: K8sObject;
  readonly doc: Document.Parsed;
  /** The pod spec (`spec`, `spec.template.spec` or `spec.jobTemplate.spec.template.spec`). */
  readonly podSpec: YAMLMap;
  /** The pod template (`spec.template`), absent for a bare Pod. */
  readonly template?: YAMLMap;
  /** Deployments, StatefulSets, DaemonSets, ReplicaSets, RCs and Pods that restart always: servers. */
  readonly isLongRunning: boolean;
  readonly containers: readonly Container[];
  readonly initContainers: readonly Container[];
}

/** Pod spec path by workload kind. */
const POD_SPEC_PATHS: Readonly<Partial<Record<string, readonly string[]>>> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  ReplicationController: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  PodTemplate: ['template', 'spec'],
};

const BATCH_KINDS = new Set(['Job', 'CronJob']);

/** Every Kubernetes object of the file, `List` items flattened, in source order. */
export const K8S_OBJECTS = defineAnalysis({
  id: 'k8s/objects',
  on: 'k8s-file',
  build: (file): readonly K8sObject[] => {
    const list: K8sObject[] = [];
    // A document with syntax errors is k8s/yaml-syntax's alone: its half-parsed content would mislead other rules.
    for (const d of file.docs) if (d.doc.errors.length === 0 && isMap(d.doc.contents)) collectObjects(d, d.doc.contents, false, list, 0);
    return list;
  },
});

/** The workloads (objects with a pod spec) of the file. */
export const K8S_WORKLOADS = defineAnalysis({
  id: 'k8s/workloads',
  on: 'k8s-file',
  requires: [K8S_OBJECTS],
  build: (_file, pass): readonly Workload[] =>
    pass.resultOf(K8S_OBJECTS).flatMap((o) => {
      const w = toWorkload(o);
      return w ? [w] : [];
    }),
});

export function k8sObjects(file: K8sFile): readonly K8sObject[] {
  return resultOf(K8S_OBJECTS, file);
}

function collectObjects(d: K8sDoc, map: YAMLMap, inList: boolean, out: K8sObject[], depth: number): void {
  const doc = d.doc;
  const apiVersion = textAt(doc, map, 'apiVersion');
  const kindNode = scalarAt(doc, map, 'kind');
  const kind = scalarText(kindNode);
  if (apiVersion === undefined || kind === undefined || !kindNode) return;
  if ((kind === 'List' || kind.endsWith('List')) && depth < 2) {
    for (const item of mapItems(doc, seqAt(doc, map, 'items'))) collectObjects(d, item, true, out, depth + 1);
    return;
  }
  const metadata = mapAt(doc, map, 'metadata');
  out.push({
    doc: d, map, apiVersion, kind,
    name: textAt(doc, metadata, 'name'),
    namespace: textAt(doc, metadata, 'namespace'),
    kindSpan: spanOf(kindNode) ?? d.span,
    inList,
  });
}

/** The workloads (objects with a pod spec) of the file. */
export function k8sWorkloads(file: K8sFile): readonly Workload[] {
  return resultOf(K8S_WORKLOADS, file);
}

/** Every container of every workload; init containers only when asked. */
export function k8sContainers(file: K8sFile, options: { init?: boolean } = {}): Container[] {
  return k8sWorkloads(file).flatMap((w) => (options.init ? [...w.initContainers, ...w.containers] : [...w.containers]));
}

function toWorkload(object: K8sObject): Workload | undefined {
  const path = POD_SPEC_PATHS[object.kind];
  if (!path) return undefined;
  const doc = object.doc.doc;
  const podSpec = mapPath(doc, object.map, path);
  if (!podSpec) return undefined;
  const template = path.length > 1 ? mapPath(doc, object.map, path.slice(0, -1)) : undefined;
  const restartPolicy = textAt(doc, podSpec, 'restartPolicy');
  const isLongRunning = !BATCH_KINDS.has(object.kind) && !(object.kind === 'Pod' && restartPolicy !== undefined && restartPolicy !== 'Always');
  const containers: Container[] = [];
  const initContainers: Container[] = [];
  const workload: Workload = { object, doc, podSpec, template, isLongRunning, containers, initContainers };
  for (const m of mapItems(doc, seqAt(doc, podSpec, 'containers'))) containers.push(toContainer(workload, m, false));
  for (const m of mapItems(doc, seqAt(doc, podSpec, 'initContainers'))) initContainers.push(toContainer(workload, m, true));
  return workload;
}

function toContainer(workload: Workload, map: YAMLMap, isInit: boolean): Container {
  const doc = workload.doc;
  const nameNode = scalarAt(doc, map, 'name');
  const firstKey = map.items[0]?.key;
  const span = spanOf(nameNode) ?? spanOf(firstKey) ?? spanOf(map) ?? workload.object.kindSpan;
  const resources = mapAt(doc, map, 'resources');
  const envSeq = seqAt(doc, map, 'env');
  const env: EnvVar[] = [];
  for (const m of mapItems(doc, envSeq)) {
    const n = scalarAt(doc, m, 'name');
    const name = scalarText(n);
    if (!n || name === undefined) continue;
    env.push({ map: m, name, nameNode: n, value: scalarAt(doc, m, 'value'), valueFrom: mapAt(doc, m, 'valueFrom') });
  }
  const ports: ContainerPort[] = mapItems(doc, seqAt(doc, map, 'ports')).map((m) => {
    const n = Number(textAt(doc, m, 'containerPort'));
    return { map: m, name: textAt(doc, m, 'name'), containerPort: Number.isInteger(n) ? n : undefined, protocol: textAt(doc, m, 'protocol') };
  });
  const probes: Partial<Record<ProbeKind, YAMLMap>> = {};
  for (const k of PROBE_KINDS) {
    const p = mapAt(doc, map, k);
    if (p) probes[k] = p;
  }
  const usesAliases = [map, resources].some((m) => m?.items.some((p) => isAlias(p.value)) ?? false);
  const isPartial = hasMergeKey(map) || (resources !== undefined && hasMergeKey(resources));
  return {
    workload, map, isInit, span, name: scalarText(nameNode),
    image: scalarAt(doc, map, 'image'),
    resources,
    limits: mapAt(doc, resources, 'limits'),
    requests: mapAt(doc, resources, 'requests'),
    envSeq, env, ports, probes,
    securityContext: mapAt(doc, map, 'securityContext'),
    isPartial, usesAliases,
  };
}

/** The env var of a container by name (the last one wins, as in Kubernetes). */
export function envVar(c: Container, name: string): EnvVar | undefined {
  let found: EnvVar | undefined;
  for (const e of c.env) if (e.name === name) found = e;
  return found;
}

/** A quantity entry of `limits`/`requests` as its value node. */
export function resourceEntry(c: Container, which: 'limits' | 'requests', resource: string): Scalar | undefined {
  return scalarAt(c.workload.doc, c[which], resource);
}

/**
 * A container's security settings with the pod's merged in, as the kubelet
 * merges them: `runAsUser`, `runAsGroup` and `runAsNonRoot` of the container
 * win over the pod's; `privileged`, `allowPrivilegeEscalation`, capabilities and
 * `readOnlyRootFilesystem` exist only on the container. Booleans are read only
 * when written as booleans (a quoted "true" is rejected by the API).
 */
export interface EffectiveSecurity {
  readonly runAsUser?: number;
  readonly runAsNonRoot?: boolean;
  readonly privileged: boolean;
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  /** The `capabilities.add` items, as written. */
  readonly capabilitiesAdd: readonly Scalar[];
}

export function effectiveSecurity(c: Container): EffectiveSecurity {
  const doc = c.workload.doc;
  const sc = c.securityContext;
  const pod = mapAt(doc, c.workload.podSpec, 'securityContext');
  const bool = (m: YAMLMap | undefined, k: string): boolean | undefined => {
    const v = entryOf(doc, m, k)?.value;
    return isScalar(v) && typeof v.value === 'boolean' ? v.value : undefined;
  };
  const user = Number(textAt(doc, sc, 'runAsUser') ?? textAt(doc, pod, 'runAsUser'));
  const add = seqAt(doc, mapAt(doc, sc, 'capabilities'), 'add');
  return {
    runAsUser: Number.isInteger(user) ? user : undefined,
    runAsNonRoot: bool(sc, 'runAsNonRoot') ?? bool(pod, 'runAsNonRoot'),
    privileged: bool(sc, 'privileged') === true,
    allowPrivilegeEscalation: bool(sc, 'allowPrivilegeEscalation'),
    readOnlyRootFilesystem: bool(sc, 'readOnlyRootFilesystem'),
    capabilitiesAdd: (add?.items ?? []).filter((i): i is Scalar => isScalar(i)),
  };
}

/** DaemonSets run one pod per node: node agents (CNI, log shippers, exporters) that need host access by design. */
export function isNodeAgent(w: Workload): boolean {
  return w.object.kind === 'DaemonSet';
}

/** The scalars of a container's `command:` or `args:` list. */
export function scalarsOf(c: Container, key: string): string[] {
  const seq = seqAt(c.workload.doc, c.map, key);
  return (seq?.items ?? []).map((i) => scalarText(i)).filter((s): s is string => s !== undefined);
}
