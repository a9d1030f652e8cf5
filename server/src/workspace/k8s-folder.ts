import * as path from 'node:path';
import { isScalar, type YAMLMap } from 'yaml';
import type { WorkspaceView } from './view';
import { defineAnalysis } from '../core/analysis';
import type { K8sFile } from '../languages/k8s/parser';
import { mapPath, scalarText } from '../languages/k8s/nodes';
import { K8S_WORKLOADS, resourceEntry, type Workload } from '../languages/k8s/model/workloads';

/** What a manifest tells the other files of its folder about one workload: plain data. */
export interface WorkloadFact {
  kind: string;
  name?: string;
  namespace?: string;
  /** The pod template's labels in order; undefined when absent or not plain scalars. */
  labels?: [string, string][];
  /** Port names of the (non-init) containers. */
  portNames: string[];
  /** Non-init containers: is the spec partial (no image, merge keys), is there a request or limit per resource? */
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

function toFact(w: Workload): WorkloadFact {
  const labels = labelsOf(mapPath(w.doc, w.template, ['metadata', 'labels']) ?? (w.object.kind === 'Pod' ? mapPath(w.doc, w.object.map, ['metadata', 'labels']) : undefined));
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

/** A label map as key → value; undefined when a key or value is not a plain scalar (aliases, nested maps). */
export function labelsOf(map: YAMLMap | undefined): Map<string, string> | undefined {
  if (!map) return undefined;
  const out = new Map<string, string>();
  for (const p of map.items) {
    if (!isScalar(p.key)) return undefined;
    const v = scalarText(p.value);
    if (v === undefined) return undefined;
    out.set(String(p.key.value), v);
  }
  return out;
}

/**
 * The workloads of a file's folder (this file's first), for rules that relate
 * objects across files (Services and HPAs to workloads), as facts: no other
 * file's tree is read. Only files whose text contains every `needle` (the
 * labels or name being looked for) are asked for facts, so a folder of n
 * manifests costs n substring scans per object, and each file is parsed at
 * most once per content for the whole folder.
 */
export function folderWorkloads(file: K8sFile, workspace: WorkspaceView, filePath: string, needles: readonly string[]): WorkloadFact[] {
  const out: WorkloadFact[] = [...workspace.factOfParsed(file, WORKLOAD_FACTS)];
  for (const p of siblingYaml(workspace, filePath)) {
    const text = workspace.readText(p);
    if (text === undefined || !needles.every((n) => text.includes(n)) || !/^\s*kind:/m.test(text)) continue;
    out.push(...(workspace.factOf(p, WORKLOAD_FACTS) ?? []));
  }
  return out;
}

const WORKLOAD_KIND = /^\s*(?:-\s+)?kind:\s*["']?(?:Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Pod|Job|CronJob)["']?\s*$/m;

/** True when some YAML file of the folder (this one included) declares a workload kind. */
export function folderHasWorkloads(file: K8sFile, workspace: WorkspaceView, filePath: string): boolean {
  if (WORKLOAD_KIND.test(file.source.text)) return true;
  return siblingYaml(workspace, filePath).some((p) => WORKLOAD_KIND.test(workspace.readText(p) ?? ''));
}

function siblingYaml(workspace: WorkspaceView, filePath: string): string[] {
  const dir = path.dirname(filePath);
  return (workspace.listDir(dir) ?? []).filter((n) => /\.ya?ml$/i.test(n)).sort().map((n) => path.join(dir, n)).filter((p) => p !== filePath);
}
