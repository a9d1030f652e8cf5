import { defineK8sRule } from '../../engine/rule';
import type { Severity } from '../../engine/finding';
import { effectiveSecurity, isNodeAgent, k8sContainers } from '../../parsers/k8s-workloads';
import { isKustomizePatch } from '../../parsers/k8s-resources';
import { scalarText, spanOf } from '../../parsers/k8s-nodes';

interface Options {
  allowed: string[];
}

/**
 * The deny-list: capabilities that reach beyond the container. Error for the
 * ones that amount to root on the node; warning for the rest. Capabilities in
 * the runtime's default set (NET_RAW, CHOWN, SETUID, NET_BIND_SERVICE, ...) are
 * not here: adding them changes nothing.
 */
const DENY: Readonly<Record<string, { what: string; severity: Severity }>> = {
  ALL: { what: 'every capability, root on the node in all but name', severity: 'error' },
  SYS_ADMIN: { what: 'mounts, namespaces and most admin calls: a known breakout path', severity: 'error' },
  SYS_MODULE: { what: 'loading kernel modules into the node', severity: 'error' },
  SYS_RAWIO: { what: 'raw access to devices and I/O ports of the node', severity: 'warning' },
  SYS_PTRACE: { what: 'tracing and injecting code into other processes', severity: 'warning' },
  SYS_TIME: { what: "setting the node's clock, which is not namespaced", severity: 'warning' },
  DAC_READ_SEARCH: { what: 'reading any file by handle, the "shocker" breakout', severity: 'warning' },
  NET_ADMIN: { what: "rewriting the pod's routes, firewall and interfaces", severity: 'warning' },
  BPF: { what: 'loading BPF programs into the kernel', severity: 'warning' },
  PERFMON: { what: 'kernel performance monitoring, which leaks kernel memory layout', severity: 'warning' },
  SYSLOG: { what: 'reading the kernel log and kernel addresses', severity: 'warning' },
  MAC_ADMIN: { what: 'changing the AppArmor/SELinux policy that confines it', severity: 'warning' },
  MAC_OVERRIDE: { what: 'bypassing the AppArmor/SELinux policy that confines it', severity: 'warning' },
};

/**
 * Flags `securityContext.capabilities.add` entries on the deny-list (containers
 * and init containers; `CAP_` prefix and case ignored, as runtimes do). One
 * finding per capability, at its entry. Silent for a privileged container
 * (k8s/security-context reports it: it has every capability anyway). In a
 * DaemonSet (node agents: CNI, kube-proxy, exporters) a level lower. Skips
 * merge-key containers and kustomize patches.
 */
export const rule = defineK8sRule<Options>({
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
      allowed: { type: 'array', items: { type: 'string' }, description: 'Capabilities of the deny-list not to report (`NET_ADMIN` for a VPN sidecar).', default: [] },
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
