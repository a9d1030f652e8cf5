import * as path from 'node:path';
import type { WorkspaceView } from '../engine/workspace';
import { parseK8s, type K8sFile } from './k8s';

/**
 * The manifest files of a file's folder (the file itself as already parsed),
 * for rules that relate objects across files: Services and HPAs to workloads.
 * Files without a `kind:` line are not parsed.
 */
export function folderManifests(file: K8sFile, workspace: WorkspaceView, filePath: string): K8sFile[] {
  const dir = path.dirname(filePath);
  const out: K8sFile[] = [];
  for (const name of (workspace.listDir(dir) ?? []).sort()) {
    if (!/\.ya?ml$/i.test(name)) continue;
    const p = path.join(dir, name);
    if (p === filePath) {
      out.push(file);
      continue;
    }
    const text = workspace.readText(p);
    if (text === undefined || !/^\s*kind:/m.test(text)) continue;
    out.push(parseK8s(p, text));
  }
  if (!out.includes(file)) out.push(file);
  return out;
}
