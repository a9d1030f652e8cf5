import { defineK8sRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import { k8sContainers, envVar, type Container } from '../../languages/k8s/model/workloads';
import { isKustomizePatch, resourceValue } from '../../languages/k8s/model/resources';
import { commandSets, scalarsOf } from '../../workspace/image-links';
import { compareGoVersions } from '../../languages/gomod/parser';
import { goHint, goRuntimeOf, linkedContainer } from '../shared/service-container';
import { hasEnvFrom, insertEnvVar } from '../../languages/k8s/model/env';
import { formatGoMiB } from '../../languages/k8s/model/quantity';
import type { K8sFile } from '../../languages/k8s/parser';

/**
 * Flags Go containers with `limits.memory` and no `GOMEMLIMIT` env. A
 * container is Go when the service model links it to the Go binary its image
 * builds (rules/shared/service-container.ts: a `command:` that starts a shell
 * or another binary is not), or when its env or command sets a Go runtime
 * variable. Silent when the main module's `go` line is below 1.19 (no
 * GOMEMLIMIT) or unknown (linked code without go.mod), when the code or go.mod
 * uses automemlimit, when env may come from `envFrom`, when the command sets
 * GOMEMLIMIT, on fragments and patches.
 */
export const rule = defineK8sRule({
  id: 'k8s/gomemlimit-missing',
  meta: {
    title: 'Go container with a memory limit but no GOMEMLIMIT',
    description: 'The Go garbage collector does not know the container memory limit unless GOMEMLIMIT says so: the heap grows until the kernel OOM-kills the process.',
    severity: 'warning',
    fixable: true,
    messages: {
      missing: 'container {name} runs Go with limits.memory {limit} and no GOMEMLIMIT: its heap can grow into an OOM kill',
    },
    options: {
      ratio: { type: 'number', description: 'Share of the memory limit the fix gives GOMEMLIMIT; the rest is for goroutine stacks, the runtime and non-Go memory.', default: 0.8, minimum: 0.1, maximum: 1 },
    },
    figures: {
      memoryLimit: { label: 'Memory limit (limits.memory)', unit: 'bytes' },
      suggestedGomemlimit: { label: 'Suggested GOMEMLIMIT', unit: 'text' },
      gomemlimitBytes: { label: 'GC target under that limit', unit: 'bytes' },
      headroom: { label: 'Headroom for stacks, runtime and non-Go memory', unit: 'bytes' },
    },
  },
  check(ctx, file) {
    if (isKustomizePatch(ctx.workspace, ctx.filePath)) return;
    for (const c of k8sContainers(file)) {
      if (c.isPartial || envVar(c, 'GOMEMLIMIT') || hasEnvFrom(c) || commandSets(c, 'GOMEMLIMIT')) continue;
      const limit = resourceValue(file, c, 'limits', 'memory');
      if (!limit?.quantity || limit.quantity.value <= 0) continue;
      const runtime = goRuntimeOf(ctx, linkedContainer(ctx, c));
      if (!runtime && !goHint(c, [...scalarsOf(c, 'command'), ...scalarsOf(c, 'args')])) continue;
      // automemlimit sets the limit from the cgroup at start-up.
      if (runtime?.automemlimit) continue;
      // GOMEMLIMIT came with Go 1.19; linked code whose go line is not known gets no advice.
      if (runtime && (runtime.goLine === undefined || compareGoVersions(runtime.goLine, '1.19') < 0)) continue;
      const suggested = suggestedLimit(limit.quantity.value, ctx.options.ratio);
      ctx.report({
        span: c.span,
        messageId: 'missing',
        data: { name: c.name ?? '(unnamed)', limit: limit.text },
        figures: {
          memoryLimit: limit.quantity.value,
          suggestedGomemlimit: suggested.text,
          gomemlimitBytes: suggested.bytes,
          headroom: limit.quantity.value - suggested.bytes,
        },
        fixes: () => fixes(file, c, limit.quantity?.value ?? 0, limit.text, ctx.options.ratio),
      });
    }
  },
});

function validRatio(ratio: number): number {
  return Number.isFinite(ratio) && ratio > 0 && ratio <= 1 ? ratio : 0.8;
}

/** The GOMEMLIMIT the fix writes: `ratio` of the limit, in whole MiB (the figures show the same value). */
function suggestedLimit(limitBytes: number, ratio: number): { text: string; bytes: number } {
  const text = formatGoMiB(limitBytes * validRatio(ratio));
  return { text, bytes: Number(text.replace('MiB', '')) * 2 ** 20 };
}

function fixes(file: K8sFile, c: Container, limitBytes: number, limitText: string, ratio: number): Fix[] {
  const r = validRatio(ratio);
  const value = suggestedLimit(limitBytes, r).text;
  const out: Fix[] = [];
  const direct = insertEnvVar(file, c, [['name', 'GOMEMLIMIT'], ['value', value]]);
  if (direct) out.push({ title: `Add GOMEMLIMIT=${value} (${Math.round(r * 100)} % of ${limitText})`, edits: direct, preferred: true, safe: false });
  const fromLimit = insertEnvVar(file, c, [['name', 'GOMEMLIMIT'], ['valueFrom', [['resourceFieldRef', [['resource', 'limits.memory']]]]]]);
  if (fromLimit) out.push({ title: 'Add GOMEMLIMIT from limits.memory (no headroom)', edits: fromLimit, safe: false });
  return out;
}
