import { defineK8sRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import { k8sContainers, type Container } from '../../languages/k8s/model/workloads';
import { isKustomizePatch } from '../../languages/k8s/model/resources';
import { declaresPort, probeTargets, type ProbeTarget } from '../../languages/k8s/model/ports';
import { spanOf } from '../../languages/k8s/nodes';
import { editDistance } from '../../core/suggest';

/**
 * Flags probe ports (httpGet, tcpSocket, grpc) that are not ports of their
 * container: a name the container does not declare (error: the probe can never
 * succeed), a quoted number (the API takes it for a name and rejects it), and
 * a number the container does not declare while it declares others (info:
 * undeclared ports still work). Skips fragments and kustomize patches.
 */
export const rule = defineK8sRule({
  id: 'k8s/probe-port-mismatch',
  meta: {
    title: 'Probe port that is not a port of the container',
    description: 'A probe on a port name the container does not declare never succeeds; on an undeclared number it likely checks the wrong port.',
    severity: 'error',
    fixable: true,
    messages: {
      name: '{probe} port {port} is not a port name of container {name}: the probe never succeeds',
      quoted: '{probe} port "{port}" is a string, read as a port name: the API server rejects it',
      number: '{probe} port {port} is not among container {name} ports ({ports}): it may probe the wrong port',
    },
  },
  check(ctx, file) {
    if (isKustomizePatch(ctx.workspace, ctx.filePath)) return;
    for (const c of k8sContainers(file)) {
      if (c.isPartial) continue;
      for (const t of probeTargets(c)) {
        const span = spanOf(t.portNode);
        if (!span) continue;
        const data = { probe: t.probe, port: String(t.port), name: c.name ?? '(unnamed)', ports: declared(c) };
        if (t.quoted && /^\d+$/.test(String(t.port))) {
          ctx.report({ span, messageId: 'quoted', data, fixes: [{ title: `Write the port as the number ${t.port}`, edits: [{ ...span, newText: String(t.port) }], preferred: true, safe: true }] });
        } else if (typeof t.port === 'string' && !declaresPort(c, t.port)) {
          ctx.report({ span, messageId: 'name', data, fixes: () => replacement(c, t) });
        } else if (typeof t.port === 'number' && c.ports.length > 0 && !declaresPort(c, t.port)) {
          ctx.report({ span, messageId: 'number', data, severity: 'info', fixes: () => replacement(c, t) });
        }
      }
    }
  },
});

function declared(c: Container): string {
  return c.ports.map((p) => p.name ?? String(p.containerPort ?? '?')).join(', ');
}

/** The one declared port, or the declared name closest to a mistyped one. Values are guesses: unsafe. */
function replacement(c: Container, t: ProbeTarget): Fix[] {
  const span = spanOf(t.portNode);
  if (!span) return [];
  let target: string | undefined;
  if (typeof t.port === 'string') {
    const names = c.ports.map((p) => p.name).filter((n): n is string => n !== undefined);
    const close = names.filter((n) => editDistance(n, t.port as string) <= 2);
    target = close.length === 1 ? close[0] : names.length === 1 ? names[0] : undefined;
    if (target === undefined && c.ports.length === 1 && c.ports[0].containerPort !== undefined) target = String(c.ports[0].containerPort);
  } else if (c.ports.length === 1) {
    const p = c.ports[0];
    target = p.containerPort !== undefined ? String(p.containerPort) : p.name;
  }
  if (target === undefined) return [];
  const quotedEdit = t.quoted ? { start: span.start + 1, end: span.end - 1 } : span;
  return [{ title: `Probe port ${target}`, edits: [{ ...quotedEdit, newText: target }], preferred: true, safe: false }];
}
