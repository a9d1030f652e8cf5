import { defineK8sRule, type RuleContext } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import { k8sWorkloads, type Container, type ContainerPort, type Workload } from '../../languages/k8s/model/workloads';
import { podLabels, servicesSelecting, type ServiceFact } from '../../workspace/k8s-folder';
import { isKustomizePatch } from '../../languages/k8s/model/resources';
import { servingPort } from '../../languages/k8s/model/ports';
import { insertAtPath, type YamlField } from '../../languages/k8s/edits/yaml-edit';
import { scalarText, seqAt } from '../../languages/k8s/nodes';
import type { K8sFile } from '../../languages/k8s/parser';
import { THIRD_PARTY_IMAGES_OPTION, severityForImage } from '../shared/third-party-images';

interface Options {
  liveness: boolean;
  readinessPath: string;
  livenessPath: string;
}

/**
 * Flags containers of long-running workloads (not Jobs, CronJobs or Pods that
 * do not restart) without a readinessProbe (warning) when they serve traffic —
 * the container declares a TCP port, or a Service of the folder selects its
 * pod (then the pod's first container, when no container declares a port and
 * none has a readinessProbe) — and without a livenessProbe (info, option). A
 * worker (no ports, no Service) needs no readiness probe. One finding per
 * container. Skips init containers, merge-key containers, kustomize patches.
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
      serviceBoth: 'container {name} has no readiness or liveness probe and Service {service} selects its pod: it gets traffic too early',
      serviceReadiness: 'container {name} has no readinessProbe and Service {service} selects its pod: it gets traffic before it can serve',
      liveness: 'container {name} has no livenessProbe: a deadlocked process is never restarted',
    },
    options: {
      ...THIRD_PARTY_IMAGES_OPTION,
      liveness: { type: 'boolean', description: 'Also report a missing livenessProbe (at info severity).', default: true },
      readinessPath: { type: 'string', description: 'Path of the readiness endpoint the fix inserts.', default: '/readyz' },
      livenessPath: { type: 'string', description: 'Path of the liveness endpoint the fix inserts.', default: '/healthz' },
    },
  },
  check(ctx, file) {
    if (isKustomizePatch(ctx.workspace, ctx.filePath)) return;
    for (const w of k8sWorkloads(file)) {
      if (!w.isLongRunning) continue;
      const service = portlessService(ctx, file, w);
      for (const c of w.containers) {
        if (c.isPartial) continue;
        const port = servingPort(c);
        const selected = service !== undefined && c === w.containers[0];
        const readiness = c.probes.readinessProbe === undefined && (port !== undefined || selected);
        const liveness = ctx.options.liveness && c.probes.livenessProbe === undefined;
        if (!readiness && !liveness) continue;
        const viaService = readiness && port === undefined;
        const severity = severityForImage(ctx, c, readiness ? 'warning' : 'info');
        if (!severity) continue;
        ctx.report({
          span: c.span,
          messageId: viaService ? (liveness ? 'serviceBoth' : 'serviceReadiness') : readiness && liveness ? 'both' : readiness ? 'readiness' : 'liveness',
          data: { name: c.name ?? '(unnamed)', service: service?.name ?? '(unnamed)' },
          severity,
          fixes: () => probeFixes(file, c, port, readiness, liveness, ctx.options),
        });
      }
    }
  },
});

/**
 * A Service of the folder that selects the workload's pods, asked only when no
 * container declares a port and none has a readinessProbe: then nothing else
 * says the pod serves traffic.
 */
function portlessService(ctx: RuleContext<Options>, file: K8sFile, w: Workload): ServiceFact | undefined {
  if (w.containers.some((c) => servingPort(c) !== undefined || c.probes.readinessProbe !== undefined)) return undefined;
  // A pod that only sleeps (a toolbox, a mesh test client) serves nothing, whatever selects it.
  if (w.containers.length > 0 && runsSleep(w.containers[0])) return undefined;
  const labels = podLabels(w);
  if (!labels || labels.size === 0) return undefined;
  // A metrics Service is scraped, not served: readiness does not guard user traffic there.
  return servicesSelecting(file, ctx.workspace, ctx.filePath, labels, w.object.namespace).find((s) => !s.metricsOnly);
}

/** `command: [sleep, infinity]`, `/bin/sleep 3650d`, `sh -c "sleep infinity"`. */
function runsSleep(c: Container): boolean {
  const words = ['command', 'args'].flatMap((k) => (seqAt(c.workload.doc, c.map, k)?.items ?? []).map((i) => scalarText(i) ?? ''));
  const first = words[0] ?? '';
  return /(^|\/)sleep$/.test(first) || (/(^|\/)(ba)?sh$/.test(first) && words[1] === '-c' && /^\s*(exec\s+)?sleep\b/.test(words[2] ?? ''));
}

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
