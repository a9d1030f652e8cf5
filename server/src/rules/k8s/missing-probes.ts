import { defineK8sRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import { k8sContainers, type Container, type ContainerPort } from '../../languages/k8s/model/workloads';
import { isKustomizePatch } from '../../languages/k8s/model/resources';
import { servingPort } from '../../languages/k8s/model/ports';
import { insertAtPath, type YamlField } from '../../languages/k8s/edits/yaml-edit';
import type { K8sFile } from '../../languages/k8s/parser';

interface Options {
  liveness: boolean;
  readinessPath: string;
  livenessPath: string;
}

/**
 * Flags containers of long-running workloads (not Jobs, CronJobs or Pods that
 * do not restart) without a readinessProbe (warning; only when the container
 * declares a port: a worker serves no traffic) or a livenessProbe (info,
 * option). One finding per container. Skips init containers, fragments, patches.
 */
export const rule = defineK8sRule({
  id: 'k8s/missing-probes',
  meta: {
    title: 'Long-running container without readiness or liveness probe',
    description: 'Without a readiness probe a pod gets traffic before it can serve and while it shuts down; without a liveness probe a hung process is never restarted.',
    severity: 'warning',
    fixable: true,
    messages: {
      both: 'container {name} has no readiness or liveness probe: it gets traffic too early and hangs unnoticed',
      readiness: 'container {name} has no readinessProbe: it gets traffic before it can serve and while it stops',
      liveness: 'container {name} has no livenessProbe: a deadlocked process is never restarted',
    },
    options: {
      liveness: { type: 'boolean', description: 'Also report a missing livenessProbe (at info severity).', default: true },
      readinessPath: { type: 'string', description: 'Path of the readiness endpoint the fix inserts.', default: '/readyz' },
      livenessPath: { type: 'string', description: 'Path of the liveness endpoint the fix inserts.', default: '/healthz' },
    },
  },
  check(ctx, file) {
    if (isKustomizePatch(ctx.workspace, ctx.filePath)) return;
    for (const c of k8sContainers(file)) {
      if (!c.workload.isLongRunning || c.isPartial) continue;
      const port = servingPort(c);
      const readiness = c.probes.readinessProbe === undefined && port !== undefined;
      const liveness = ctx.options.liveness && c.probes.livenessProbe === undefined;
      if (!readiness && !liveness) continue;
      ctx.report({
        span: c.span,
        messageId: readiness && liveness ? 'both' : readiness ? 'readiness' : 'liveness',
        data: { name: c.name ?? '(unnamed)' },
        severity: readiness ? 'warning' : 'info',
        fixes: () => probeFixes(file, c, port, readiness, liveness, ctx.options),
      });
    }
  },
});

function probeFixes(file: K8sFile, c: Container, port: ContainerPort | undefined, readiness: boolean, liveness: boolean, o: Options): Fix[] {
  if (!port || c.usesAliases) return [];
  const fields: YamlField[] = [];
  if (readiness) fields.push(['readinessProbe', [...handler(port, o.readinessPath), ['periodSeconds', '5'], ['failureThreshold', '3']]]);
  if (liveness) fields.push(['livenessProbe', [...handler(port, o.livenessPath), ['initialDelaySeconds', '10'], ['periodSeconds', '10'], ['failureThreshold', '3']]]);
  const edits = insertAtPath(file.source, c.map, [], fields);
  if (!edits) return [];
  const what = fields.map(([k]) => k).join(' and ');
  return [{ title: `Add ${what} on port ${port.name ?? port.containerPort}`, edits, preferred: true, safe: false }];
}

/** An httpGet handler on the port (by name when it has one), or a gRPC one for ports named grpc. */
function handler(port: ContainerPort, path: string): YamlField[] {
  if (port.name?.startsWith('grpc') && port.containerPort !== undefined) return [['grpc', [['port', String(port.containerPort)]]]];
  return [['httpGet', [['path', path], ['port', port.name ?? String(port.containerPort)]]]];
}
