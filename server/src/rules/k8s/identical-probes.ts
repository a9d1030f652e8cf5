import { isMap, isScalar, type YAMLMap } from 'yaml';
import { defineK8sRule } from '../../engine/rule';
import { k8sContainers, type Container } from '../../languages/k8s/model/workloads';
import { entryOf, mapAt, scalarText, seqAt, spanOf } from '../../languages/k8s/nodes';

const HANDLERS = ['httpGet', 'tcpSocket', 'grpc', 'exec'] as const;

/**
 * Flags a livenessProbe whose check (handler, path, port — a port name resolved
 * to its number — host, scheme, headers, command) is the same as the
 * readinessProbe's: the same endpoint (httpGet, grpc) or command (exec), tested
 * the same way. Two tcpSocket probes on the same port are not flagged: a TCP
 * connect tests only that the process accepts connections, which is what both
 * probes should test — the pattern Kubernetes documents. Timings are not
 * compared: the same endpoint checked more slowly is still a readiness check
 * used for restarts. The message says what was compared.
 */
export const rule = defineK8sRule({
  id: 'k8s/identical-probes',
  meta: {
    title: 'Liveness probe identical to the readiness probe',
    description: 'A liveness probe that checks what readiness checks restarts pods when a dependency is down, turning an outage elsewhere into a restart storm.',
    severity: 'info',
    fixable: false,
    messages: {
      identical: 'liveness and readiness of {name} both run {what}: a failure restarts pods instead of only pausing traffic',
    },
  },
  check(ctx, file) {
    for (const c of k8sContainers(file)) {
      const live = c.probes.livenessProbe;
      const ready = c.probes.readinessProbe;
      if (!live || !ready) continue;
      // A TCP connect checks only that the process accepts connections: right for both probes.
      if (mapAt(c.workload.doc, live, 'tcpSocket') && mapAt(c.workload.doc, ready, 'tcpSocket')) continue;
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

/** What the two probes both run, as written: `httpGet /healthz on port http (8080)`, `exec cat /tmp/ready`. */
function describe(c: Container, probe: YAMLMap): string {
  const doc = c.workload.doc;
  for (const h of ['httpGet', 'grpc'] as const) {
    const m = mapAt(doc, probe, h);
    if (!m) continue;
    const port = scalarText(entryOf(doc, m, 'port')?.value) ?? '?';
    const resolved = resolvePort(c, port);
    const on = `on port ${port}${resolved !== port ? ` (${String(resolved)})` : ''}`;
    if (h === 'grpc') return `grpc ${on}${scalarText(entryOf(doc, m, 'service')?.value) ? ` service ${scalarText(entryOf(doc, m, 'service')?.value)}` : ''}`;
    return `httpGet ${scalarText(entryOf(doc, m, 'path')?.value) ?? '/'} ${on}`;
  }
  const exec = mapAt(doc, probe, 'exec');
  const command = seqAt(doc, exec, 'command')?.items.map((i) => scalarText(i) ?? '').join(' ') ?? '';
  return `exec ${command.length > 40 ? `${command.slice(0, 40)}…` : command}`;
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
