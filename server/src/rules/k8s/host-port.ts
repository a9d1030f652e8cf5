import { isScalar } from 'yaml';
import { defineK8sRule } from '../../engine/rule';
import { isNodeAgent, k8sContainers } from '../../languages/k8s/model/workloads';
import { isKustomizePatch } from '../../languages/k8s/model/resources';
import { entryOf, spanOf } from '../../languages/k8s/nodes';

/**
 * Flags container ports with a non-zero `hostPort` (containers and init
 * containers), at the value. Warning; info in a DaemonSet (one pod per node is
 * what it wants anyway). Silent when the pod sets `hostNetwork: true`: every
 * port is a node port there, and k8s/host-namespace reports that. Skips
 * merge-key containers and kustomize patches.
 */
export const rule = defineK8sRule({
  id: 'k8s/host-port',
  meta: {
    title: 'Container port bound on the node (hostPort)',
    description: "A hostPort opens the port on the node's address, bypassing Services and network policies, and allows one such pod per node.",
    severity: 'warning',
    fixable: false,
    messages: {
      hostPort: "container {name} binds hostPort {port} on the node: at most one such pod per node, reachable past Services",
    },
  },
  check(ctx, file) {
    if (isKustomizePatch(ctx.workspace, ctx.filePath)) return;
    for (const c of k8sContainers(file, { init: true })) {
      if (c.isPartial) continue;
      const hostNetwork = entryOf(c.workload.doc, c.workload.podSpec, 'hostNetwork')?.value;
      if (isScalar(hostNetwork) && hostNetwork.value === true) continue;
      for (const p of c.ports) {
        const v = entryOf(c.workload.doc, p.map, 'hostPort')?.value;
        const span = spanOf(v);
        const port = isScalar(v) ? Number(v.value) : NaN;
        if (!span || !Number.isInteger(port) || port === 0) continue;
        ctx.report({ span, messageId: 'hostPort', data: { name: c.name ?? '(unnamed)', port: String(port) }, severity: isNodeAgent(c.workload) ? 'info' : 'warning' });
      }
    }
  },
});
