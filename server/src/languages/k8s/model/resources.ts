import type { Scalar } from 'yaml';
import type { Fix, TextEditData } from '../../../core/finding';
import type { K8sFile } from '../parser';
import { mapAt, mapItems, mapPath, scalarText, seqAt, textAt } from '../nodes';
import { parseQuantity, type Quantity } from './quantity';
import { k8sObjects, resourceEntry, type Container } from './workloads';
import { insertAtPath, type YamlField } from '../edits/yaml-edit';

/** Resource requests and limits of containers, shared by the resource rules. */

export type ResourceName = 'cpu' | 'memory';
export type ResourceSide = 'limits' | 'requests';

export interface ResourceValue {
  readonly node: Scalar;
  /** The value as written in the file, quotes included (`"1"`, `512Mi`), for copying into a fix. */
  readonly source: string;
  readonly text: string;
  /** Undefined when the API server would reject the text. */
  readonly quantity?: Quantity;
}

export function resourceValue(file: K8sFile, c: Container, side: ResourceSide, resource: string): ResourceValue | undefined {
  const node = resourceEntry(c, side, resource);
  const text = scalarText(node);
  if (!node || text === undefined || !node.range) return undefined;
  return { node, source: file.source.text.slice(node.range[0], node.range[1]), text, quantity: parseQuantity(text) };
}

/** Edits that add `resources.<side>.<resource>: value` entries, creating maps as needed; undefined when unsafe to edit. */
export function insertResources(file: K8sFile, c: Container, side: ResourceSide, values: readonly (readonly [ResourceName, string])[]): TextEditData[] | undefined {
  if (c.usesAliases || values.length === 0) return undefined;
  const fields: YamlField[] = values.map(([k, v]) => [k, v]);
  return insertAtPath(file.source, c.map, ['resources', side], fields);
}

/**
 * True when a LimitRange in the same file gives containers of the namespace a
 * default for `side` (`default` = limits, `defaultRequest` = requests) and `resource`.
 */
export function hasLimitRangeDefault(file: K8sFile, namespace: string | undefined, side: ResourceSide, resource: ResourceName): boolean {
  const key = side === 'limits' ? 'default' : 'defaultRequest';
  return k8sObjects(file).some((o) => {
    if (o.kind !== 'LimitRange' || (o.namespace ?? '') !== (namespace ?? '')) return false;
    const doc = o.doc.doc;
    return mapItems(doc, seqAt(doc, mapAt(doc, o.map, 'spec'), 'limits')).some((l) => {
      const type = textAt(doc, l, 'type');
      return (type === undefined || type === 'Container') && textAt(doc, mapAt(doc, l, key), resource) !== undefined;
    });
  });
}

/** True when the file is a kustomize patch (fragments: missing fields are not defects). */
export function isKustomizePatch(workspace: { kustomizeRole(filePath: string): 'resource' | 'patch' | undefined }, filePath: string): boolean {
  return workspace.kustomizeRole(filePath) === 'patch';
}

/** The pod's namespace (metadata.namespace of the workload). */
export function namespaceOf(c: Container): string | undefined {
  return c.workload.object.namespace ?? textAt(c.workload.doc, mapPath(c.workload.doc, c.workload.template, ['metadata']), 'namespace');
}

