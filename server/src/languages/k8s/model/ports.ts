import { isMap, isScalar, type Scalar, type YAMLMap } from 'yaml';
import { mapAt, scalarText, textAt } from '../nodes';
import type { Container, ContainerPort, ProbeKind } from './workloads';

/** Ports of containers and the ports their probes point at. */

export interface ProbeTarget {
  readonly probe: ProbeKind;
  readonly handler: 'httpGet' | 'tcpSocket' | 'grpc';
  readonly portNode: Scalar;
  /** A port name (`http`) or number. A quoted number is a (rejected) name. */
  readonly port: string | number;
  readonly quoted: boolean;
}

/** The port each probe of the container checks (exec probes have none). */
export function probeTargets(c: Container): ProbeTarget[] {
  const out: ProbeTarget[] = [];
  for (const [probe, map] of Object.entries(c.probes) as [ProbeKind, YAMLMap][]) {
    for (const handler of ['httpGet', 'tcpSocket', 'grpc'] as const) {
      const h = mapAt(c.workload.doc, map, handler);
      const node = h?.items.find((p) => isScalar(p.key) && p.key.value === 'port')?.value;
      if (!isScalar(node) || isMap(node)) continue;
      const text = scalarText(node);
      if (text === undefined) continue;
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      out.push({ probe, handler, portNode: node, port: /^\d+$/.test(text) && !quoted ? Number(text) : text, quoted });
    }
  }
  return out;
}

/** True when `port` (name or number) is one of the container's declared ports. */
export function declaresPort(c: Container, port: string | number): boolean {
  return c.ports.some((p) => (typeof port === 'number' ? p.containerPort === port : p.name === port));
}

/** The port a probe fix should use: one named like HTTP, else the first TCP port. */
export function servingPort(c: Container): ContainerPort | undefined {
  const tcp = c.ports.filter((p) => {
    const proto = textAt(c.workload.doc, p.map, 'protocol');
    return (proto === undefined || proto === 'TCP') && (p.containerPort !== undefined || p.name !== undefined);
  });
  return tcp.find((p) => p.name !== undefined && /^(http|https|web|api|grpc)(-|$)/.test(p.name)) ?? tcp[0];
}
