import { defineK8sRule } from '../../../engine/rule';
import type { Severity } from '../../../core/finding';
import { effectiveSecurity, isNodeAgent, k8sContainers } from '../../../languages/k8s/model/workloads';
import { isKustomizePatch } from '../../../languages/k8s/model/resources';
import { scalarText, spanOf } from '../../../languages/k8s/nodes';
import { DENY } from './deny-list';

/**
 * Flags `securityContext.capabilities.add` entries on the deny-list (containers
 * and init containers; `CAP_` prefix and case ignored, as runtimes do). One
 * finding per capability, at its entry. Silent for a privileged container
 * (k8s/security-context reports it: it has every capability anyway). In a
 * DaemonSet (node agents: CNI, kube-proxy, exporters) a level lower. Skips
 * merge-key containers and kustomize patches.
 */
export const rule = defineK8sRule({
  id: 'k8s/dangerous-capabilities',
  meta: {
    title: 'Container adds a dangerous Linux capability',
    description: 'Capabilities such as SYS_ADMIN, NET_ADMIN or SYS_PTRACE give code in the container powers over the node or other processes that an exploit only has to use.',
    severity: 'warning',
    fixable: false,
    messages: {
      capability: 'container {name} adds capability {cap}: {what}',
    },
    options: {
      allowed: { type: 'array', items: { type: 'string' }, description: 'Capabilities of the deny-list not to report (`NET_ADMIN` for a VPN sidecar).', default: [] as string[] },
    },
  },
  check(ctx, file) {
    if (isKustomizePatch(ctx.workspace, ctx.filePath)) return;
    const allowed = new Set(ctx.options.allowed.map(normalize));
    for (const c of k8sContainers(file, { init: true })) {
      if (c.isPartial) continue;
      const sec = effectiveSecurity(c);
      if (sec.privileged) continue;
      for (const item of sec.capabilitiesAdd) {
        const cap = normalize(scalarText(item) ?? '');
        const entry = DENY[cap];
        const span = spanOf(item);
        if (!entry || allowed.has(cap) || !span) continue;
        const severity: Severity = isNodeAgent(c.workload) ? (entry.severity === 'error' ? 'warning' : 'info') : entry.severity;
        ctx.report({ span, messageId: 'capability', data: { name: c.name ?? '(unnamed)', cap, what: entry.what }, severity });
      }
    }
  },
});

function normalize(cap: string): string {
  return cap.trim().toUpperCase().replace(/^CAP_/, '');
}
