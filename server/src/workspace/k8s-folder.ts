import * as path from 'node:path';
import type { WorkspaceView } from './view';
import type { K8sFile } from '../languages/k8s/parser';
import { kustomizeRole } from '../languages/build/kustomize';
import { defineFolderIndex, type FolderReads } from './folder-index';
import { AUTOSCALER_FACTS, SERVICE_FACTS, WORKLOAD_FACTS, type AutoscalerFact, type ServiceFact, type WorkloadFact } from './k8s-folder-facts';

export { AUTOSCALER_FACTS, SERVICE_FACTS, WORKLOAD_FACTS, podLabels, type AutoscalerFact, type ServiceFact, type WorkloadFact } from './k8s-folder-facts';
/** Re-exported for the folder rules: a pure YAML helper that lives with the node helpers. */
export { labelsOf } from '../languages/k8s/nodes';

/** A fact of a folder's file, with its place in the folder's order (path, then order in the file). */
interface Placed<T> {
  path: string;
  ordinal: number;
  fact: T;
}

/** One YAML file of a manifest folder, as the folder index holds it. */
interface FolderManifest {
  path: string;
  isPatch: boolean;
  /** Its text names a workload kind (a patch, a file that does not parse, included). */
  declaresWorkload: boolean;
}

/** What the k8s rules look up across a folder's manifests, by key. */
export interface K8sFolderIndex {
  /** The folder's YAML files in path order. */
  files: FolderManifest[];
  /** Workloads with plain-scalar pod labels, under each `key=value` of their labels. */
  workloadsByLabel: Map<string, Placed<WorkloadFact>[]>;
  /** Workloads by kind and name. */
  workloadsByName: Map<string, Placed<WorkloadFact>[]>;
  /** Services of files that are not kustomize patches, under the first pair of their selector. */
  servicesBySelector: Map<string, Placed<ServiceFact>[]>;
  /** Autoscalers by target kind and name. */
  autoscalersByTarget: Map<string, Placed<AutoscalerFact>[]>;
}

// A sibling is asked for a kind of fact only when its text can hold one (a file that is no manifest is not parsed).
const ANY_KIND = /^\s*kind:/m;
const SERVICE_KIND = /^\s*(?:-\s+)?kind:\s*["']?Service["']?\s*$/m;
const AUTOSCALER_KIND = /^\s*(?:-\s+)?kind:\s*["']?(?:HorizontalPodAutoscaler|ScaledObject)["']?\s*$/m;
const WORKLOAD_KIND = /^\s*(?:-\s+)?kind:\s*["']?(?:Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Pod|Job|CronJob)["']?\s*$/m;

const pair = (k: string, v: string): string => `${k}=${v}`;
const kindName = (kind: string, name: string): string => `${kind}\u0000${name}`;

function push<T>(map: Map<string, Placed<T>[]>, key: string, placed: Placed<T>): void {
  const list = map.get(key);
  if (list) list.push(placed);
  else map.set(key, [placed]);
}

/**
 * The objects of a manifest folder that other files look up (workloads by
 * labels and by name, Services by selector, autoscalers by target), from the
 * facts of its YAML files: each file is read and asked for its facts once
 * per folder, not once per file that asks.
 */
export const K8S_FOLDER = defineFolderIndex({
  id: 'k8s/folder',
  build(dir: string, reads: FolderReads): K8sFolderIndex {
    const index: K8sFolderIndex = { files: [], workloadsByLabel: new Map(), workloadsByName: new Map(), servicesBySelector: new Map(), autoscalersByTarget: new Map() };
    const names = (reads.listDir(dir) ?? []).filter((n) => /\.ya?ml$/i.test(n)).sort();
    let ordinal = 0;
    for (const p of names.map((n) => path.join(dir, n))) {
      const text = reads.readText(p);
      if (text === undefined) continue;
      const isPatch = kustomizeRole(p, (k) => reads.readText(k)) === 'patch';
      index.files.push({ path: p, isPatch, declaresWorkload: WORKLOAD_KIND.test(text) });
      const place = <T>(fact: T): Placed<T> => ({ path: p, ordinal: ordinal++, fact });
      // A sibling whose facts cannot be built is left out: its own analysis reports why.
      const factsOf = <T>(read: () => readonly T[] | undefined): readonly T[] => {
        try {
          return read() ?? [];
        } catch {
          return [];
        }
      };
      if (ANY_KIND.test(text)) {
        for (const w of factsOf(() => reads.factOf(p, WORKLOAD_FACTS))) {
          const placed = place(w);
          for (const [k, v] of w.labels ?? []) push(index.workloadsByLabel, pair(k, v), placed);
          if (w.name !== undefined) push(index.workloadsByName, kindName(w.kind, w.name), placed);
        }
      }
      if (!isPatch && SERVICE_KIND.test(text)) {
        for (const s of factsOf(() => reads.factOf(p, SERVICE_FACTS))) {
          const first = s.selector.at(0);
          if (first) push(index.servicesBySelector, pair(...first), place(s));
        }
      }
      if (AUTOSCALER_KIND.test(text)) {
        for (const a of factsOf(() => reads.factOf(p, AUTOSCALER_FACTS))) push(index.autoscalersByTarget, kindName(a.targetKind, a.targetName), place(a));
      }
    }
    return index;
  },
});

function folderIndex(file: K8sFile, workspace: WorkspaceView, filePath: string): K8sFolderIndex {
  // This file's facts from its own tree first: an index built now finds them in the store instead of parsing the file again.
  workspace.factOfParsed(file, WORKLOAD_FACTS);
  workspace.factOfParsed(file, SERVICE_FACTS);
  workspace.factOfParsed(file, AUTOSCALER_FACTS);
  return workspace.folderIndex(path.dirname(filePath), K8S_FOLDER);
}

/** The facts of other files of the folder, in folder order, without duplicates. */
function others<T>(lists: readonly (readonly Placed<T>[] | undefined)[], filePath: string, keep: (p: Placed<T>) => boolean = () => true): T[] {
  const seen = new Set<Placed<T>>();
  for (const list of lists) for (const p of list ?? []) if (p.path !== filePath && keep(p)) seen.add(p);
  return [...seen].sort((a, b) => a.ordinal - b.ordinal).map((p) => p.fact);
}

const sameNamespace = (a: string | undefined, b: string | undefined): boolean => a === undefined || b === undefined || a === b;

/**
 * Workloads of the file's folder (this file's first) whose pod labels carry
 * every pair of `selector`, in `namespace`, from the files' facts: no other
 * file's tree is read.
 */
export function workloadsSelecting(file: K8sFile, workspace: WorkspaceView, filePath: string, selector: ReadonlyMap<string, string>, namespace: string | undefined): WorkloadFact[] {
  const first = [...selector].at(0);
  if (!first) return [];
  const matches = (w: WorkloadFact): boolean => {
    if (!w.labels || !sameNamespace(namespace, w.namespace)) return false;
    const labels = new Map(w.labels);
    return [...selector].every(([k, v]) => labels.get(k) === v);
  };
  const own = workspace.factOfParsed(file, WORKLOAD_FACTS);
  return [...own, ...others([folderIndex(file, workspace, filePath).workloadsByLabel.get(pair(...first))], filePath)].filter(matches);
}

/** The workload of the file's folder (this file's first) of this kind and name, in `namespace`; kustomize patches left out (they hold fragments). */
export function workloadNamed(file: K8sFile, workspace: WorkspaceView, filePath: string, kind: string, name: string, namespace: string | undefined): WorkloadFact | undefined {
  const index = folderIndex(file, workspace, filePath);
  const patches = new Set(index.files.filter((f) => f.isPatch).map((f) => f.path));
  const own = workspace.kustomizeRole(filePath) === 'patch' ? [] : workspace.factOfParsed(file, WORKLOAD_FACTS);
  const theirs = others([index.workloadsByName.get(kindName(kind, name))], filePath, (p) => !patches.has(p.path));
  return [...own, ...theirs].find((w) => w.kind === kind && w.name === name && sameNamespace(namespace, w.namespace));
}

/**
 * The Services of the file's folder (this file's first; other files' only
 * when they are not kustomize patches) that select pods with these labels in
 * this namespace, from the files' facts.
 */
export function servicesSelecting(file: K8sFile, workspace: WorkspaceView, filePath: string, labels: ReadonlyMap<string, string>, namespace: string | undefined): ServiceFact[] {
  const bySelector = folderIndex(file, workspace, filePath).servicesBySelector;
  const theirs = others([...labels].map(([k, v]) => bySelector.get(pair(k, v))), filePath);
  return [...workspace.factOfParsed(file, SERVICE_FACTS), ...theirs].filter((s) => sameNamespace(s.namespace, namespace) && s.selector.every(([k, v]) => labels.get(k) === v));
}

/** The autoscalers of the file's folder (this file's first) that scale this workload, from the files' facts. */
export function autoscalersOf(file: K8sFile, workspace: WorkspaceView, filePath: string, kind: string, name: string, namespace: string | undefined): AutoscalerFact[] {
  const theirs = others([folderIndex(file, workspace, filePath).autoscalersByTarget.get(kindName(kind, name))], filePath);
  return [...workspace.factOfParsed(file, AUTOSCALER_FACTS), ...theirs].filter((a) => a.targetKind === kind && a.targetName === name && sameNamespace(a.namespace, namespace));
}

/** True when some YAML file of the folder (this one included) declares a workload kind. */
export function folderHasWorkloads(file: K8sFile, workspace: WorkspaceView, filePath: string): boolean {
  if (WORKLOAD_KIND.test(file.source.text)) return true;
  return folderIndex(file, workspace, filePath).files.some((f) => f.path !== filePath && f.declaresWorkload);
}
