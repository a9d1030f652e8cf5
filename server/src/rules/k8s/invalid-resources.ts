import { isScalar, type Scalar } from 'yaml';
import { defineK8sRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import { k8sContainers } from '../../languages/k8s/model/workloads';
import { correctQuantityTypo, parseQuantity, type Quantity } from '../../languages/k8s/model/quantity';
import { scalarText, spanOf } from '../../languages/k8s/nodes';
import { replaceScalar } from '../../languages/k8s/edits/yaml-edit';
import type { ResourceSide } from '../../languages/k8s/model/resources';

/**
 * Flags resource quantities the API server rejects (`512mb`, `1.5.0`, `500mi`,
 * negatives), values that parse but cannot be meant (memory in milli-bytes,
 * CPU in mega-cores or hundreds of cores), decimal units where binary ones
 * were likely meant (`512M`: info), and requests above limits. Init containers
 * included: the API validates them the same way.
 */
export const rule = defineK8sRule({
  id: 'k8s/invalid-resources',
  meta: {
    title: 'Invalid or mistyped resource quantity',
    description: 'Resource quantities the API server rejects, units that mean something else than intended (500m of memory, 500M of CPU), and requests above limits.',
    severity: 'error',
    fixable: true,
    messages: {
      invalid: '{path} {value} is not a Kubernetes quantity: the API server rejects the manifest',
      negative: '{path} {value} is negative: the API server rejects the manifest',
      memoryMilli: '{path} {value} means milli-bytes, not MiB: the container cannot start',
      cpuHuge: '{path} {value} asks for {cores} cores: no node can run it; {fixed} was likely meant',
      decimal: '{path} {value} is decimal ({binary}); {fixed} was likely meant',
      greater: 'requests.{resource} {request} exceeds limits.{resource} {limit}: the API server rejects the pod',
    },
  },
  check(ctx, file) {
    for (const c of k8sContainers(file, { init: true })) {
      const parsed: Record<ResourceSide, Map<string, { node: Scalar; q: Quantity }>> = { limits: new Map(), requests: new Map() };
      // With its own cpu request the pod runs today and a huge cpu limit is no limit: `500M` → `500m` would start throttling it.
      const hasCpuRequest = (c.requests?.items ?? []).some((p) => isScalar(p.key) && String(p.key.value) === 'cpu');
      for (const side of ['limits', 'requests'] as const) {
        for (const pair of c[side]?.items ?? []) {
          if (!isScalar(pair.key) || !isScalar(pair.value)) continue;
          const resource = String(pair.key.value);
          const node = pair.value;
          const value = scalarText(node);
          const span = spanOf(node);
          if (value === undefined || !span) continue;
          const path = `${side}.${resource}`;
          const q = parseQuantity(value);
          const isMemory = resource === 'memory' || resource === 'ephemeral-storage' || resource.startsWith('hugepages-');
          if (!q) {
            const fixed = isMemory ? correctQuantityTypo(value) : undefined;
            ctx.report({ span, messageId: 'invalid', data: { path, value }, fixes: () => unitFix(node, fixed, true) });
            continue;
          }
          if (q.value < 0) {
            ctx.report({ span, messageId: 'negative', data: { path, value } });
            continue;
          }
          // A value with a unit mistake is reported once, not compared with its pair as well.
          if (!hasUnitMistake(q, value, resource, isMemory)) parsed[side].set(resource, { node, q });
          if (isMemory && q.suffix === 'm' && q.value < 1024 ** 2) {
            const fixed = `${value.slice(0, -1)}Mi`;
            ctx.report({ span, messageId: 'memoryMilli', data: { path, value, fixed }, severity: 'error', fixes: () => unitFix(node, fixed, true) });
          } else if (resource === 'cpu') {
            checkCpu(q, value, (messageId, fixed, cores, safe) => { ctx.report({ span, messageId, data: { path, value, fixed, cores }, severity: 'warning', fixes: () => unitFix(node, fixed, safe && !(side === 'limits' && hasCpuRequest)) }); });
          } else if (isMemory && isLikelyBinary(q, value)) {
            const fixed = `${value.slice(0, -1)}${q.suffix}i`;
            ctx.report({ span, messageId: 'decimal', data: { path, value, fixed, binary: formatApprox(q.value) }, severity: 'info', fixes: () => unitFix(node, fixed, false) });
          }
        }
      }
      reportRequestsAboveLimits(parsed, (span, data) => { ctx.report({ span, messageId: 'greater', data }); });
    }
  },
});

function hasUnitMistake(q: Quantity, value: string, resource: string, isMemory: boolean): boolean {
  if (isMemory) return (q.suffix === 'm' && q.value < 1024 ** 2) || isLikelyBinary(q, value);
  if (resource !== 'cpu') return false;
  let flagged = false;
  checkCpu(q, value, () => (flagged = true));
  return flagged;
}

type CpuReport = (messageId: 'cpuHuge', fixed: string, cores: string, safe: boolean) => void;

/** `500M`/`2G`/`1Gi` of CPU are mega-cores (`m` meant); a plain `500` is 500 cores (`500m` meant). */
function checkCpu(q: Quantity, value: string, report: CpuReport): void {
  const digits = value.slice(0, value.length - q.suffix.length);
  if ((q.suffix === 'M' || q.suffix === 'Mi') && /^\d+$/.test(digits)) report('cpuHuge', `${digits}m`, formatCores(q.value), true);
  else if (q.suffix === '' && /^\d+$/.test(value) && q.value >= 100) report('cpuHuge', `${value}m`, formatCores(q.value), false);
}

function reportRequestsAboveLimits(
  parsed: Record<ResourceSide, Map<string, { node: Scalar; q: Quantity }>>,
  report: (span: { start: number; end: number }, data: Record<string, string>) => void,
): void {
  for (const [resource, request] of parsed.requests) {
    const limit = parsed.limits.get(resource);
    const span = spanOf(request.node);
    if (!limit || !span || request.q.value <= limit.q.value * (1 + 1e-12)) continue;
    report(span, { resource, request: request.q.text, limit: limit.q.text });
  }
}

function unitFix(node: Scalar, fixed: string | undefined, safe: boolean): Fix[] {
  if (!fixed) return [];
  const edit = replaceScalar(node, fixed);
  return edit ? [{ title: `Change to ${fixed}`, edits: [edit], preferred: true, safe }] : [];
}

/** `512M`, `256M`, `1G`, `4G`: powers of two in decimal units read as a binary size meant. */
function isLikelyBinary(q: Quantity, value: string): boolean {
  if (q.suffix !== 'M' && q.suffix !== 'G') return false;
  const n = Number(value.slice(0, -1));
  const min = q.suffix === 'M' ? 32 : 1;
  return Number.isInteger(n) && n >= min && (n & (n - 1)) === 0;
}

function formatApprox(bytes: number): string {
  const mi = bytes / 2 ** 20;
  return mi >= 1024 ? `${(mi / 1024).toFixed(2)}Gi` : `${mi.toFixed(0)}Mi`;
}

function formatCores(cores: number): string {
  return String(Math.round(cores));
}

