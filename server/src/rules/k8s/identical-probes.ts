import { isMap, isScalar, type YAMLMap } from 'yaml';
import { defineK8sRule } from '../../engine/rule';
import { k8sContainers, type Container } from '../../languages/k8s/model/workloads';
import { entryOf, mapAt, scalarText, spanOf } from '../../languages/k8s/nodes';

const HANDLERS = ['httpGet', 'tcpSocket', 'grpc', 'exec'] as const;

/**
 * Flags a livenessProbe whose check (handler, path, port — a port name resolved
 * to its number — host, scheme, headers, command) is the same as the
 * readinessProbe's. Timings are not compared: the same endpoint checked more
 * slowly is still a readiness check used for restarts.
 */
export const rule = defineK8sRule({
  id: 'k8s/identical-probes',
  meta: {
    title: 'Liveness probe identical to the readiness probe',
    description: 'A liveness probe that checks what readiness checks restarts pods when a dependency is down, turning an outage elsewhere into a restart storm.',
    severity: 'info',
    fixable: false,
    messages: {
      identical: 'livenessProbe of {name} checks the same {what} as readinessProbe: a dependency outage restarts pods',
    },
  },
  check(ctx, file) {
    for (const c of k8sContainers(file)) {
      const live = c.probes.livenessProbe;
      const ready = c.probes.readinessProbe;
      if (!live || !ready) continue;
      const a = fingerprint(c, live);
      const b = fingerprint(c, ready);
      if (a === undefined || a !== b) continue;
      const key = c.map.items.find((p) => isScalar(p.key) && p.key.value === 'livenessProbe')?.key;
      const span = spanOf(key);
      if (!span) continue;
      const what = describe(c, live);
      ctx.report({ span, messageId: 'identical', data: { name: c.name ?? '(unnamed)', what } });
    }
  },
});

/** A canonical text of the probe's check, or undefined when it has none or uses aliases. */
function fingerprint(c: Container, probe: YAMLMap): string | undefined {
  const doc = c.workload.doc;
  for (const h of HANDLERS) {
    const handler = mapAt(doc, probe, h);
    if (!handler) continue;
    try {
      const json = handler.toJSON() as Record<string, unknown>;
      if (json.port !== undefined) json.port = resolvePort(c, json.port);
      if (h === 'httpGet') {
        json.path = normalizePath(json.path);
        json.scheme = json.scheme ?? 'HTTP';
      }
      return `${h}:${stableStringify(json)}`;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function describe(c: Container, probe: YAMLMap): string {
  const doc = c.workload.doc;
  const http = mapAt(doc, probe, 'httpGet');
  if (http) return `endpoint ${scalarText(entryOf(doc, http, 'path')?.value) ?? '/'}`;
  if (mapAt(doc, probe, 'exec')) return 'command';
  return 'port';
}

function resolvePort(c: Container, port: unknown): unknown {
  if (typeof port !== 'string') return port;
  const named = c.ports.find((p) => p.name === port);
  return named?.containerPort ?? port;
}

function normalizePath(path: unknown): unknown {
  if (typeof path !== 'string') return path ?? '/';
  return path === '' ? '/' : path;
}

function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`;
  if (v && typeof v === 'object' && !isMap(v)) {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${stableStringify(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
