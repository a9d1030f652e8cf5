import { isScalar } from 'yaml';
import { defineK8sRule } from '../../engine/rule';
import { isNodeAgent, K8S_WORKLOADS } from '../../languages/k8s/model/workloads';
import { isKustomizePatch } from '../../languages/k8s/model/resources';
import { entryOf, spanOf } from '../../languages/k8s/nodes';

const KEYS = ['hostNetwork', 'hostPID', 'hostIPC'] as const;

/**
 * Flags pod specs that share a namespace with the node: `hostNetwork`,
 * `hostPID` or `hostIPC` set to `true` (one finding per key, at its value).
 * Warning; info in a DaemonSet, where node agents (CNI, kube-proxy, node
 * exporters) need it by design. Skips kustomize patches.
 */
export const rule = defineK8sRule({
  id: 'k8s/host-namespace',
  meta: {
    title: "Pod shares the node's network, process or IPC namespace",
    description: "A pod in the node's network, PID or IPC namespace sees and reaches what belongs to the node and to every other pod on it.",
    severity: 'warning',
    fixable: false,
    messages: {
      hostNetwork: "{kind} {name} uses the node's network (hostNetwork): it binds node ports and reaches node-local services",
      hostPID: "{kind} {name} shares the node's process namespace (hostPID): it sees and signals every process there",
      hostIPC: "{kind} {name} shares the node's IPC namespace (hostIPC): it reads other processes' shared memory",
    },
  },
  analyses: [K8S_WORKLOADS],
  check(ctx) {
    if (isKustomizePatch(ctx.workspace, ctx.filePath)) return;
    for (const w of ctx.resultOf(K8S_WORKLOADS)) {
      for (const key of KEYS) {
        const v = entryOf(w.doc, w.podSpec, key)?.value;
        const span = spanOf(v);
        if (!isScalar(v) || v.value !== true || !span) continue;
        ctx.report({ span, messageId: key, data: { kind: w.object.kind, name: w.object.name ?? '(unnamed)' }, severity: isNodeAgent(w) ? 'info' : 'warning' });
      }
    }
  },
});
