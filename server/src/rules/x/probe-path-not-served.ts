import { defineCrossRule } from '../../engine/rule';
import type { Fix, RelatedInfo } from '../../core/finding';
import { k8sContainers, type Container, type ProbeKind } from '../../languages/k8s/model/workloads';
import { isKustomizePatch } from '../../languages/k8s/model/resources';
import { mapAt, scalarAt, spanOf } from '../../languages/k8s/nodes';
import { routeLabel, servedBy } from '../../workspace/service-model';
import type { MainPackageNode } from '../../workspace/service-model/types';
import { linkedGo, relativeTo } from '../shared/linked-service';

/**
 * Flags an `httpGet` probe whose path the Go service the container runs never
 * registers: the probe gets a 404, so a readiness probe keeps the pod out of
 * its Service forever and a liveness or startup probe restarts it in a loop.
 * The container must be linked, by the service model, to exactly one Go main
 * package whose binary it runs. Silent whenever the routes may be incomplete
 * (the model's route doubts: computed paths, registrations in loops, mounted
 * prefixes, catch-all and file-server routes, routers or health libraries it
 * does not read, a router handed to another module, a server whose handler is
 * not a router the package builds), when a route has a run-time prefix that
 * could make the path, when the service registers no HTTP route at all, and
 * when the probe names another `host`.
 */
export const rule = defineCrossRule({
  id: 'x/probe-path-not-served',
  appliesTo: ['k8s'],
  meta: {
    title: 'Probe path the service never registers',
    description: 'An httpGet probe on a path the linked Go service does not serve gets a 404: the pod is never ready, or restarts forever.',
    severity: 'error',
    fixable: true,
    messages: {
      notServed: '{probe} path {path} is not a route of Go service {service}: {cost}',
    },
    figures: {
      probePath: { label: 'Probe path', unit: 'text' },
      routes: { label: 'Routes the service registers', unit: 'text' },
    },
  },
  check(ctx, file) {
    if (file.kind !== 'k8s' || isKustomizePatch(ctx.workspace, ctx.filePath)) return;
    for (const c of k8sContainers(file)) {
      if (c.isPartial || !c.image) continue;
      const probes = httpProbes(c);
      if (probes.length === 0) continue;
      const linked = linkedGo(ctx.workspace, ctx.filePath, c);
      if (!linked) continue;
      const { main, service } = linked;
      for (const p of probes) {
        if (servedBy(main, p.path).served !== 'no') continue;
        const routes = main.routes.filter((r) => r.framework !== 'grpc-health');
        ctx.report({
          span: p.span,
          messageId: 'notServed',
          data: { probe: p.kind, path: p.path, service: `${service.entry.name} (${relativeTo(ctx.filePath, main.dir)})`, cost: COST[p.kind] },
          figures: { probePath: p.path, routes: routes.map(routeLabel).join(', ') },
          related: routes.slice(0, 8).map((r): RelatedInfo => ({ file: r.file, span: r.span, message: `registers ${routeLabel(r)}` })),
          fixes: () => healthRouteFix(main, p),
        });
      }
    }
  },
});

const COST: Readonly<Record<ProbeKind, string>> = {
  readinessProbe: 'it gets a 404 and the pod never becomes ready',
  livenessProbe: 'it gets a 404 and the pod is restarted forever',
  startupProbe: 'it gets a 404 and the pod is restarted before it starts',
};

interface HttpProbe {
  kind: ProbeKind;
  path: string;
  span: { start: number; end: number };
}

/** httpGet probes with a written path and no `host` of their own. */
function httpProbes(c: Container): HttpProbe[] {
  const doc = c.workload.doc;
  const out: HttpProbe[] = [];
  for (const [kind, probe] of Object.entries(c.probes) as [ProbeKind, (typeof c.probes)[ProbeKind]][]) {
    const get = mapAt(doc, probe, 'httpGet');
    if (!get || scalarAt(doc, get, 'host') !== undefined) continue;
    const scalar = scalarAt(doc, get, 'path');
    const span = spanOf(scalar);
    const value = scalar?.value;
    if (!span || typeof value !== 'string' || !value.startsWith('/')) continue;
    out.push({ kind, path: value, span });
  }
  return out;
}

const PREFERRED: Readonly<Record<ProbeKind, readonly RegExp[]>> = {
  readinessProbe: [/ready|readiness/i, /health/i],
  livenessProbe: [/live|alive/i, /health/i],
  startupProbe: [/start/i, /health/i, /live/i],
};

const HEALTH = /(^|\/)(healthz?|livez?|liveness|readyz?|readiness|ready|alive|ping|status|_health|_healthz)$/i;

/** The one health-like route (narrowed by the probe's kind when several), as the new path: a choice, so unsafe. */
function healthRouteFix(main: MainPackageNode, p: HttpProbe): Fix[] {
  const candidates = [...new Set(main.routes
    .filter((r) => r.framework !== 'grpc-health' && (!r.method || r.method === 'GET' || r.method === 'HEAD') && !r.dynamicPrefix && !/[{:*]/.test(r.path) && HEALTH.test(r.path))
    .map((r) => r.path))];
  // Several: the one named for the probe's kind, in order of preference.
  let pick = candidates;
  for (const want of candidates.length > 1 ? PREFERRED[p.kind] : []) {
    pick = candidates.filter((path) => want.test(path));
    if (pick.length > 0) break;
  }
  if (pick.length !== 1) return [];
  return [{ title: `Probe ${pick[0]}, the health route the service registers`, edits: [{ ...p.span, newText: pick[0] }], preferred: true, safe: false }];
}
