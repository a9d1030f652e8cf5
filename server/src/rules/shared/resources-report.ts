import type { RuleContext } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import type { Container } from '../../languages/k8s/model/workloads';
import type { ResourceName } from '../../languages/k8s/model/resources';
import { severityForImage, type ThirdPartyImages } from './third-party-images';

/**
 * Reports a container missing CPU and/or memory on one side (limits or requests),
 * with the `both`/`memory`/`cpu` message ids both resource rules use: memory is a
 * warning, CPU alone is info; on an image the workspace does not build, as the
 * `thirdPartyImages` option says. `fixes` gets the missing resources, CPU first.
 */
export function reportMissingResources(
  ctx: RuleContext<{ readonly thirdPartyImages: ThirdPartyImages }, 'both' | 'memory' | 'cpu'>, c: Container, missing: { memory: boolean; cpu: boolean },
  fixes: (resources: ResourceName[]) => Fix[],
): void {
  const { memory, cpu } = missing;
  if (!memory && !cpu) return;
  const severity = severityForImage(ctx, c, memory ? 'warning' : 'info');
  if (!severity) return;
  const resources: ResourceName[] = [...(cpu ? ['cpu' as const] : []), ...(memory ? ['memory' as const] : [])];
  ctx.report({
    span: c.span,
    messageId: memory && cpu ? 'both' : memory ? 'memory' : 'cpu',
    data: { name: c.name ?? '(unnamed)' },
    severity,
    fixes: () => fixes(resources),
  });
}
