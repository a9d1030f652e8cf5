import { isScalar } from 'yaml';
import { defineK8sRule } from '../../engine/rule';
import type { Severity } from '../../core/finding';
import { isNodeAgent, K8S_WORKLOADS, type Workload } from '../../languages/k8s/model/workloads';
import { isKustomizePatch } from '../../languages/k8s/model/resources';
import { entryOf, mapAt, mapItems, seqAt, spanOf, textAt } from '../../languages/k8s/nodes';

/** Host paths whose write access is node takeover: the kubelet's state, system folders, the device tree. */
const SENSITIVE = [
  /^\/$/, /^\/(etc|root|boot|proc|sys|usr|lib|lib64|bin|sbin)(\/|$)/, /^\/dev$/, /^\/dev\/(mem|kmem|port)$/,
  /^\/var\/lib\/(kubelet|docker|containerd)(\/|$)/, /^\/(var\/)?run$/,
];

/** Container runtime sockets: whoever can connect starts privileged containers, and a read-only mount still connects. */
const RUNTIME_SOCKET = /(docker|containerd|crio|cri-dockerd|podman)\.sock$/;

/** Read-only mounts everyone makes for good reasons: CA bundles, time zones; the syslog socket. */
const HARMLESS = [
  /^\/etc\/(ssl|pki|ca-certificates)(\/|$)/, /^\/usr\/share\/(ca-certificates|zoneinfo)(\/|$)/,
  /^\/etc\/(localtime|timezone)$/, /^\/dev\/log$/,
];

/**
 * Flags `hostPath` volumes that a container (or init container) of the pod
 * mounts, at the volume's `hostPath` key: error for a container runtime socket
 * (read-only or not) and for a sensitive path (`/`, `/etc`, `/proc`,
 * `/var/lib/kubelet`, ...) some container mounts writable; warning for another
 * writable path or a sensitive path mounted read-only; info for the rest read-
 * only. In a DaemonSet (node agents: log shippers, exporters, CSI drivers) a
 * level lower. Silent for volumes no container mounts and for read-only CA
 * bundles, time zones and `/dev/log`. Skips kustomize patches.
 */
export const rule = defineK8sRule({
  id: 'k8s/host-path',
  meta: {
    title: "Pod mounts a path of the node's filesystem",
    description: "A hostPath volume gives the pod the node's files: writable system paths or the container runtime's socket hand over the node.",
    severity: 'warning',
    fixable: false,
    messages: {
      mounted: "volume {volume} mounts the node's {path} ({mode} in {containers}): the pod reaches files of the node",
      sensitive: "volume {volume} mounts the node's {path} ({mode} in {containers}): code in the pod can take over the node",
    },
  },
  analyses: [K8S_WORKLOADS],
  check(ctx) {
    if (isKustomizePatch(ctx.workspace, ctx.filePath)) return;
    for (const w of ctx.resultOf(K8S_WORKLOADS)) {
      for (const volume of mapItems(w.doc, seqAt(w.doc, w.podSpec, 'volumes'))) {
        const hostPath = entryOf(w.doc, volume, 'hostPath');
        const name = textAt(w.doc, volume, 'name');
        const span = spanOf(hostPath?.key);
        if (!hostPath || name === undefined || !span) continue;
        const path = textAt(w.doc, mapAt(w.doc, volume, 'hostPath'), 'path') ?? '(no path)';
        const mounts = mountsOf(w, name);
        if (mounts.length === 0) continue;
        const writers = mounts.filter((m) => !m.readOnly).map((m) => m.container);
        const clean = path.replace(/\/+$/, '') || '/';
        if (HARMLESS.some((re) => re.test(clean)) && (writers.length === 0 || clean === '/dev/log')) continue;
        const isSensitive = SENSITIVE.some((re) => re.test(clean));
        const sensitive = RUNTIME_SOCKET.test(clean) || (writers.length > 0 && isSensitive);
        const base: Severity = sensitive ? 'error' : writers.length > 0 || isSensitive ? 'warning' : 'info';
        const severity: Severity = isNodeAgent(w) ? (base === 'error' ? 'warning' : 'info') : base;
        const mode = writers.length > 0 ? 'writable' : 'read-only';
        const containers = (sensitive && writers.length > 0 ? writers : mounts.map((m) => m.container)).join(', ');
        ctx.report({ span, messageId: sensitive ? 'sensitive' : 'mounted', data: { volume: name, path, mode, containers }, severity });
      }
    }
  },
});

interface Mount {
  container: string;
  readOnly: boolean;
}

/** The containers (init ones too) that mount the volume, and whether each mount is read-only. */
function mountsOf(w: Workload, volume: string): Mount[] {
  const out: Mount[] = [];
  for (const c of [...w.initContainers, ...w.containers]) {
    for (const m of mapItems(w.doc, seqAt(w.doc, c.map, 'volumeMounts'))) {
      if (textAt(w.doc, m, 'name') !== volume) continue;
      const ro = entryOf(w.doc, m, 'readOnly')?.value;
      out.push({ container: c.name ?? '(unnamed)', readOnly: isScalar(ro) && ro.value === true });
    }
  }
  return out;
}
