import { isScalar } from 'yaml';
import { defineK8sRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import type { K8sFile } from '../../languages/k8s/parser';
import { K8S_WORKLOADS, type Workload } from '../../languages/k8s/model/workloads';
import { isKustomizePatch } from '../../languages/k8s/model/resources';
import { mapAt, spanOf } from '../../languages/k8s/nodes';
import { autoscalersOf } from '../../workspace/k8s-folder';
import { removePairLine } from '../../languages/k8s/edits/yaml-edit';

const SCALED_KINDS = new Set(['Deployment', 'StatefulSet']);

/**
 * Flags `spec.replicas` of a Deployment or StatefulSet that a
 * HorizontalPodAutoscaler (or a KEDA ScaledObject, which creates one) in the
 * same folder targets, by kind, name and namespace: every `kubectl apply` of
 * the manifest sets the scale back to that number until the HPA corrects it.
 * Reported at the `replicas` key. Skips kustomize patches (an overlay that
 * sets replicas on purpose is a person's call) and targets in other folders.
 */
export const rule = defineK8sRule({
  id: 'k8s/hpa-fixed-replicas',
  meta: {
    title: 'Fixed replicas on a workload an HPA scales',
    description: 'When an HPA scales a Deployment or StatefulSet, a replicas field in its manifest resets the scale the HPA chose on every apply.',
    severity: 'warning',
    fixable: true,
    messages: {
      fixed: '{kind} {name} sets replicas: {replicas} while {hpaKind} {hpa} scales it: every apply resets the scale to {replicas}',
    },
  },
  analyses: [K8S_WORKLOADS],
  check(ctx, file) {
    if (isKustomizePatch(ctx.workspace, ctx.filePath)) return;
    for (const w of ctx.resultOf(K8S_WORKLOADS)) {
      const o = w.object;
      if (!SCALED_KINDS.has(o.kind) || o.name === undefined) continue;
      const spec = mapAt(w.doc, o.map, 'spec');
      const pair = spec?.items.find((p) => isScalar(p.key) && p.key.value === 'replicas');
      const span = spanOf(pair?.key);
      if (!spec || !pair || !span || !isScalar(pair.value)) continue;
      const hpa = autoscalersOf(file, ctx.workspace, ctx.filePath, o.kind, o.name, o.namespace).at(0);
      if (!hpa) continue;
      ctx.report({
        span,
        messageId: 'fixed',
        data: { kind: o.kind, name: o.name, replicas: String(pair.value.value), hpaKind: hpa.kind === 'ScaledObject' ? 'ScaledObject' : 'HPA', hpa: hpa.name ?? '(unnamed)' },
        fixes: () => removeReplicas(file, w),
      });
    }
  },
});

/** Removes the `replicas:` line. Unsafe: the first apply without it drops to 1 replica until the HPA scales back (see the docs). */
function removeReplicas(file: K8sFile, w: Workload): Fix[] {
  const spec = mapAt(w.doc, w.object.map, 'spec');
  if (!spec || spec.anchor) return [];
  const edit = removePairLine(file.source, spec, 'replicas');
  return edit ? [{ title: 'Remove replicas (the HPA owns the scale)', edits: [edit], preferred: true, safe: false }] : [];
}
