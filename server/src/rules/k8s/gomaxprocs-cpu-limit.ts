import { defineK8sRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import { k8sContainers, envVar, type Container } from '../../languages/k8s/model/workloads';
import { isKustomizePatch, resourceValue } from '../../languages/k8s/model/resources';
import { commandSets, scalarsOf } from '../../workspace/image-links';
import { goHint, goRuntimeOf, linkedContainer } from '../shared/service-container';
import { hasEnvFrom, insertEnvVar } from '../../languages/k8s/model/env';
import { compareGoVersions } from '../../languages/gomod/parser';
import type { K8sFile } from '../../languages/k8s/parser';

/** The node size the figures illustrate with: the runtime's real count is the node's, unknown here. */
const EXAMPLE_NODE_CORES = 16;

/**
 * Flags Go containers (as `k8s/gomemlimit-missing` finds them: the service
 * model's link to the Go binary, or a Go runtime setting in env or command)
 * with `limits.cpu` and no `GOMAXPROCS`, unless the main module's `go` line is
 * 1.25 or later (the runtime then follows the CPU limit: its GODEBUG defaults
 * follow the go line, not the toolchain) or the code or go.mod uses
 * go.uber.org/automaxprocs. Linked code without go.mod: silent; a hint only
 * (no link): info. Skips envFrom, fragments, patches.
 */
export const rule = defineK8sRule({
  id: 'k8s/gomaxprocs-cpu-limit',
  meta: {
    title: 'Go container with a CPU limit but no GOMAXPROCS',
    description: 'Before Go 1.25 the runtime sizes GOMAXPROCS to the node\'s cores, not the CPU limit: a small limit on a big node means heavy CFS throttling.',
    severity: 'warning',
    fixable: true,
    messages: {
      old: 'container {name} runs Go {version} with limits.cpu {limit} and no GOMAXPROCS: one thread per node core',
      unknown: 'container {name} runs Go with limits.cpu {limit} and no GOMAXPROCS: throttled before Go 1.25',
    },
    figures: {
      cpuLimit: { label: 'CPU limit (limits.cpu)', unit: 'cpu' },
      exampleNodeCores: { label: 'GOMAXPROCS without the env: one per node core, e.g. on a node with', unit: 'count' },
      oversubscription: { label: 'Runnable threads per CPU of the limit there (CFS throttles the rest)', unit: 'ratio' },
      suggestedGomaxprocs: { label: 'GOMAXPROCS from the limit (rounded up)', unit: 'count' },
    },
  },
  check(ctx, file) {
    if (isKustomizePatch(ctx.workspace, ctx.filePath)) return;
    for (const c of k8sContainers(file)) {
      if (c.isPartial || envVar(c, 'GOMAXPROCS') || hasEnvFrom(c) || commandSets(c, 'GOMAXPROCS')) continue;
      const limit = resourceValue(file, c, 'limits', 'cpu');
      if (!limit?.quantity || limit.quantity.value <= 0) continue;
      const runtime = goRuntimeOf(ctx, linkedContainer(ctx, c));
      if (!runtime && !goHint(c, [...scalarsOf(c, 'command'), ...scalarsOf(c, 'args')])) continue;
      if (runtime?.automaxprocs) continue;
      const version = runtime?.goLine;
      if (runtime && version === undefined) continue;
      if (version !== undefined && compareGoVersions(version, '1.25') >= 0) continue;
      const data = { name: c.name ?? '(unnamed)', limit: limit.text, version: version ?? '' };
      const cpu = limit.quantity.value;
      ctx.report({
        span: c.span,
        messageId: version ? 'old' : 'unknown',
        data,
        figures: {
          cpuLimit: cpu, exampleNodeCores: EXAMPLE_NODE_CORES,
          oversubscription: Math.round((EXAMPLE_NODE_CORES / cpu) * 10) / 10, suggestedGomaxprocs: Math.max(1, Math.ceil(cpu)),
        },
        severity: version ? 'warning' : 'info',
        fixes: () => fix(file, c, version !== undefined),
      });
    }
  },
});

/** GOMAXPROCS from the CPU limit through the downward API; divisor 1 rounds a fractional limit up to whole cores. */
function fix(file: K8sFile, c: Container, versionKnown: boolean): Fix[] {
  const edits = insertEnvVar(file, c, [['name', 'GOMAXPROCS'], ['valueFrom', [['resourceFieldRef', [['resource', 'limits.cpu'], ['divisor', '"1"']]]]]]);
  // Safe only when the Go version is known to predate 1.25: later runtimes size GOMAXPROCS themselves, and a fixed env stops their updates.
  return edits ? [{ title: 'Add GOMAXPROCS from limits.cpu', edits, preferred: true, safe: versionKnown }] : [];
}
