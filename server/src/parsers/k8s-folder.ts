import * as path from 'node:path';
import type { WorkspaceView } from '../engine/workspace';
import { parseK8s, type K8sFile } from './k8s';

/**
 * The manifest files of a file's folder, for rules that relate objects across
 * files (Services and HPAs to workloads). Only files whose text contains every
 * `needle` (the labels or name being looked for) are parsed, so a folder of n
 * manifests costs n substring scans per object, not n parses: without that,
 * auditing a folder would be quadratic in parses.
 */
export function folderManifests(file: K8sFile, workspace: WorkspaceView, filePath: string, needles: readonly string[]): K8sFile[] {
  const out: K8sFile[] = [file];
  for (const p of siblingYaml(workspace, filePath)) {
    const text = workspace.readText(p);
    if (text === undefined || !needles.every((n) => text.includes(n)) || !/^\s*kind:/m.test(text)) continue;
    out.push(parseK8s(p, text));
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
