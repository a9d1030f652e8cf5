import { defineK8sRule } from '../../engine/rule';
import { k8sContainers } from '../../languages/k8s/model/workloads';
import { scalarText, spanOf, textAt } from '../../languages/k8s/nodes';
import { kustomizeImageNames } from '../../languages/build/kustomize';
import { linkedContainer } from '../shared/service-container';

/**
 * Flags container images (init containers included) with no tag or the
 * `latest` tag and no digest. Skips `ko://` images (ko pins digests),
 * templated images (`${TAG}`, `$(TAG)`), images a kustomization re-tags, and
 * images a skaffold artifact builds (the service model's `skaffold` link):
 * skaffold replaces the name with the tag or digest it built at deploy time.
 */
export const rule = defineK8sRule({
  id: 'k8s/image-latest-tag',
  meta: {
    title: 'Image without a pinned tag',
    description: 'An image with no tag or :latest is not a version: nodes may run different builds, and a rollback redeploys whatever the tag points at now.',
    severity: 'warning',
    fixable: false,
    messages: {
      noTag: 'image {image} has no tag, so :latest: pods may run different builds and rollbacks do nothing',
      latest: 'image {image} uses :latest: pods may run different builds and rollbacks do nothing',
      stale: 'image {image} is :latest with imagePullPolicy {policy}: nodes keep whichever build they pulled first',
    },
  },
  check(ctx, file) {
    let retagged: Set<string> | undefined;
    for (const c of k8sContainers(file, { init: true })) {
      const image = scalarText(c.image);
      const span = spanOf(c.image);
      if (!image || !span || /\$[({]|\{\{/.test(image) || image.startsWith('ko://')) continue;
      const ref = parseImage(image);
      if (ref.digest || (ref.tag !== undefined && ref.tag !== 'latest')) continue;
      retagged ??= kustomizeImageNames(ctx.filePath, (p) => ctx.workspace.readText(p));
      if (retagged.has(ref.name)) continue;
      const linked = linkedContainer(ctx, c);
      if (linked?.model.linksOf(linked.node.id).some((l) => l.from === linked.node.id && l.kind === 'skaffold')) continue;
      const policy = textAt(c.workload.doc, c.map, 'imagePullPolicy');
      const messageId = policy === 'IfNotPresent' || policy === 'Never' ? 'stale' : ref.tag === undefined ? 'noTag' : 'latest';
      ctx.report({ span, messageId, data: { image, policy: policy ?? '' } });
    }
  },
});

/** `registry:5000/team/app:1.2@sha256:...` → name, tag, digest. A port in the registry host is not a tag. */
function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withTag, digest] = image.split('@', 2);
  const slash = withTag.lastIndexOf('/');
  const colon = withTag.lastIndexOf(':');
  if (colon > slash) return { name: withTag.slice(0, colon), tag: withTag.slice(colon + 1), digest };
  return { name: withTag, digest };
}
