import type { TextEditData } from '../../../core/finding';
import type { K8sFile } from '../parser';
import { mapAt, seqAt, textAt } from '../nodes';
import type { Container, EnvVar } from './workloads';
import { insertUnderKey, type YamlField } from '../edits/yaml-edit';

/** Env vars of containers: adding one, and reading `resourceFieldRef` sources. */

/** Edits that append an env var to the container's `env:` (creating it); undefined when unsafe (aliases, anchors). */
export function insertEnvVar(file: K8sFile, c: Container, item: readonly YamlField[]): TextEditData[] | undefined {
  if (c.usesAliases || c.envSeq?.anchor || c.map.anchor) return undefined;
  return insertUnderKey(file.source, c.map, 'env', { items: [item] });
}

/** True when some env may come from elsewhere (`envFrom` a ConfigMap or Secret): what is missing is not known. */
export function hasEnvFrom(c: Container): boolean {
  return seqAt(c.workload.doc, c.map, 'envFrom') !== undefined;
}

export interface ResourceFieldRef {
  readonly resource: string;
  readonly divisor?: string;
  readonly containerName?: string;
}

export function resourceFieldRef(c: Container, e: EnvVar): ResourceFieldRef | undefined {
  const doc = c.workload.doc;
  const ref = mapAt(doc, e.valueFrom, 'resourceFieldRef');
  const resource = textAt(doc, ref, 'resource');
  if (!ref || resource === undefined) return undefined;
  return { resource, divisor: textAt(doc, ref, 'divisor'), containerName: textAt(doc, ref, 'containerName') };
}
