import type { RuleContext } from '../../engine/rule';
import type { Severity } from '../../core/finding';
import type { Container } from '../../languages/k8s/model/workloads';
import { GO_ENV, linkedContainer } from './service-container';

export type ThirdPartyImages = 'info' | 'off' | 'same';

/**
 * The `thirdPartyImages` option of the rules whose findings are about how a
 * container is run (limits, requests, probes, securityContext): one schema,
 * spread into each rule's `meta.options`.
 */
export const THIRD_PARTY_IMAGES_OPTION = {
  thirdPartyImages: {
    type: 'string',
    enum: ['info', 'off', 'same'],
    description: 'Findings on containers whose image the workspace does not build (and that show no sign of Go): `info` lowers them to info, `off` drops them, `same` keeps the usual severity. Only applies when the workspace builds some image.',
    default: 'info' as ThirdPartyImages,
  },
} as const;

/**
 * The severity of a finding on container `c`: `base`, or per the option when
 * the container's image is one the workspace does not build. Undefined: do
 * not report (`off`).
 */
export function severityForImage(
  ctx: RuleContext<{ readonly thirdPartyImages: ThirdPartyImages }>, c: Container, base: Severity,
): Severity | undefined {
  const option = ctx.options.thirdPartyImages;
  if (option === 'same' || !isThirdPartyImage(ctx, c)) return base;
  return option === 'off' ? undefined : 'info';
}

/**
 * An image the workspace does not build: the service model found nothing
 * that builds it (`no-candidate`: no build file names it, no Dockerfile,
 * binary or main package is named like it), the workspace does build some
 * image (else a manifests-only repository would lose every finding), the
 * image is not in the namespace of one it builds (`ghcr.io/acme/…`), and the
 * container shows no Go runtime setting. Ambiguous and unresolved images
 * (a variable in the name) are not third-party: they may be the team's own.
 */
export function isThirdPartyImage(ctx: RuleContext<unknown>, c: Container): boolean {
  // A Go runtime setting in its env: the team runs its own Go program there.
  if (c.env.some((e) => GO_ENV.test(e.name))) return false;
  const linked = linkedContainer(ctx, c);
  if (!linked) return false;
  const { model, node } = linked;
  // Any link but a kustomize rename (`images:` may point at a mirror) ties the image to something the workspace builds.
  if (model.linksOf(node.id).some((l) => l.from === node.id && l.kind !== 'kustomize-image')) return false;
  const why = model.unlinkedOf(node.id).map((u) => u.why);
  if (why.length === 0 || why.some((w) => w !== 'no-candidate')) return false;
  if (!model.buildsImages()) return false;
  // An image in the namespace of one the workspace builds (`ghcr.io/acme/report` beside `ghcr.io/acme/shop`) is the team's.
  const namespace = namespaceOf(node.facts.image ?? '');
  return namespace === undefined || !model.builtImages().some((i) => namespaceOf(i) === namespace);
}

/** `ghcr.io/acme/shop:1.2` → `ghcr.io/acme`; undefined for a name without one (`redis`, `docker.io/library/redis`). */
function namespaceOf(image: string): string | undefined {
  const repo = image.split('@')[0].replace(/:[^/:]*$/, '').toLowerCase();
  const slash = repo.lastIndexOf('/');
  const ns = slash > 0 ? repo.slice(0, slash) : undefined;
  return ns === undefined || ns === 'docker.io/library' || ns === 'library' ? undefined : ns;
}
