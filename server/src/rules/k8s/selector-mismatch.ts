import { isScalar, type YAMLMap } from 'yaml';
import { defineK8sRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import type { K8sFile } from '../../languages/k8s/parser';
import { folderHasWorkloads, labelsOf, workloadsSelecting, type WorkloadFact } from '../../workspace/k8s-folder';
import { K8S_OBJECTS, K8S_WORKLOADS, type K8sObject, type Workload } from '../../languages/k8s/model/workloads';
import { mapAt, mapItems, mapPath, scalarAt, scalarText, seqAt, spanOf } from '../../languages/k8s/nodes';
import { isKustomizePatch } from '../../languages/k8s/model/resources';
import { insertIntoMap } from '../../languages/k8s/edits/yaml-edit';

const SELECTING_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/**
 * Flags (1) a Deployment/StatefulSet/DaemonSet/ReplicaSet whose
 * `selector.matchLabels` the pod template's labels do not satisfy (the API
 * rejects it); (2) a Service whose selector matches no pod template among the
 * workloads in its folder, when that folder has workloads; (3) a Service
 * `targetPort` name that no selected container declares. Skips selectors
 * with matchExpressions, patches and objects without a template.
 */
export const rule = defineK8sRule({
  id: 'k8s/selector-mismatch',
  meta: {
    title: 'Selector that does not match its pods',
    description: 'A workload selector its own template does not satisfy is rejected by the API; a Service that selects no pods, or targets a port they lack, sends traffic nowhere.',
    severity: 'error',
    fixable: true,
    messages: {
      template: 'selector label {key}={value} is not on the pod template: the API server rejects the {kind}',
      noPods: 'selector of Service {name} matches no pods of the workloads in this folder: traffic goes nowhere',
      targetPort: 'targetPort {port} is not a port name of the pods Service {name} selects: connections are refused',
    },
  },
  analyses: [K8S_OBJECTS, K8S_WORKLOADS],
  check(ctx, file) {
    if (isKustomizePatch(ctx.workspace, ctx.filePath)) return;
    for (const w of ctx.resultOf(K8S_WORKLOADS)) checkTemplate(ctx, file, w);
    const services = ctx.resultOf(K8S_OBJECTS).filter((o) => o.kind === 'Service');
    if (services.length === 0) return;
    if (!folderHasWorkloads(file, ctx.workspace, ctx.filePath)) return;
    for (const s of services) checkService(ctx, s, (selector) => workloadsSelecting(file, ctx.workspace, ctx.filePath, selector, s.namespace));
  },
});

type Ctx = Parameters<(typeof rule)['check']>[0];


function checkTemplate(ctx: Ctx, file: K8sFile, w: Workload): void {
  const o = w.object;
  if (!SELECTING_KINDS.has(o.kind) || !w.template) return;
  const doc = o.doc.doc;
  const selector = mapPath(doc, o.map, ['spec', 'selector']);
  if (!selector || mapAt(doc, selector, 'matchExpressions') !== undefined) return;
  const match = mapAt(doc, selector, 'matchLabels');
  const templateLabelsMap = mapPath(doc, w.template, ['metadata', 'labels']);
  const wanted = labelsOf(match);
  if (!wanted || !match) return;
  const have = templateLabelsMap ? labelsOf(templateLabelsMap) : new Map<string, string>();
  if (!have) return;
  for (const pair of match.items) {
    const key = String(isScalar(pair.key) ? pair.key.value : '');
    const value = wanted.get(key) ?? '';
    if (have.get(key) === value) continue;
    const span = spanOf(pair.key);
    if (!span) continue;
    const missing = !have.has(key);
    ctx.report({ span, messageId: 'template', data: { key, value, kind: o.kind }, fixes: () => (missing && templateLabelsMap ? addLabel(file, templateLabelsMap, key, value) : []) });
  }
}

function addLabel(file: K8sFile, labels: YAMLMap, key: string, value: string): Fix[] {
  if (labels.anchor) return [];
  const edit = insertIntoMap(file.source, labels, [[key, /^[\w.-]+$/.test(value) && !/^(true|false|null|~|\d[\d.]*)$/i.test(value) ? value : JSON.stringify(value)]]);
  return edit ? [{ title: `Add label ${key}: ${value} to the pod template`, edits: [edit], preferred: true, safe: false }] : [];
}

function checkService(ctx: Ctx, s: K8sObject, podsSelected: (selector: ReadonlyMap<string, string>) => WorkloadFact[]): void {
  const doc = s.doc.doc;
  const spec = mapAt(doc, s.map, 'spec');
  const selectorMap = mapAt(doc, spec, 'selector');
  const selector = labelsOf(selectorMap);
  if (!selector || selector.size === 0 || !selectorMap) return;
  const selected = podsSelected(selector);
  const name = s.name ?? '(unnamed)';
  if (selected.length === 0) {
    const span = spanOf(spec?.items.find((p) => isScalar(p.key) && p.key.value === 'selector')?.key);
    if (span) ctx.report({ span, messageId: 'noPods', data: { name }, severity: 'warning' });
    return;
  }
  for (const port of mapItems(doc, seqAt(doc, spec, 'ports'))) {
    const target = scalarAt(doc, port, 'targetPort');
    const text = scalarText(target);
    if (!text || /^\d+$/.test(text)) continue;
    if (selected.some((p) => p.portNames.includes(text))) continue;
    const span = spanOf(target);
    if (span) ctx.report({ span, messageId: 'targetPort', data: { port: text, name } });
  }
}
