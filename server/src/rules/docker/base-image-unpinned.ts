import { defineDockerRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import { buildGoMod } from '../../workspace/build-context';
import { DOCKER_STAGES, type ImageRef, type Stage } from '../../languages/docker/model/stages';

/**
 * Flags a FROM whose image (after ARG expansion) floats: no tag, `:latest`,
 * or a golang tag without a Go version (`golang:alpine`). With the
 * `requireDigest` option, also a tag without `@sha256:` digest (info).
 * Skips `scratch`, stage names, images still holding variables (an ARG
 * without default) and digests.
 */

interface Options {
  requireDigest: boolean;
}

export const rule = defineDockerRule({
  id: 'docker/base-image-unpinned',
  meta: {
    title: 'Base image not pinned',
    description: 'A FROM with no tag, :latest or a version-less golang tag builds from whatever image is newest that day.',
    severity: 'warning',
    fixable: true,
    messages: {
      noTag: '{image} has no tag: each build may pull a different image, and rebuilds are not reproducible',
      latest: '{image} uses :latest: each build may pull a different image, and rebuilds are not reproducible',
      floatingGo: '{image} has no Go version: builds switch compilers silently when Go releases',
      noDigest: '{image} is not pinned by digest: the tag can be re-pushed under you',
    },
    options: {
      requireDigest: {
        type: 'boolean',
        description: 'Also report (as info) tagged images without an @sha256 digest.',
        default: false,
      },
    },
  },
  analyses: [DOCKER_STAGES],
  check(ctx, file) {
    const model = ctx.resultOf(DOCKER_STAGES);
    let goVersion: string | undefined | null = null;
    const versionFromGoMod = (): string | undefined => {
      if (goVersion === null) {
        const mod = buildGoMod(ctx.workspace, ctx.filePath);
        goVersion = mod?.toolchain ?? mod?.go;
      }
      return goVersion;
    };
    for (const stage of model.stages) {
      const image = externalImage(stage);
      if (!image || image.digest) continue;
      const written = file.source.text.slice(stage.imageSpan.start, stage.imageSpan.end);
      const isGolang = image.name === 'golang' && (image.registry === undefined || image.registry === 'docker.io');
      const tag = image.tag;
      let messageId: 'noTag' | 'latest' | 'floatingGo' | undefined;
      if (tag === undefined) messageId = 'noTag';
      else if (tag === 'latest') messageId = 'latest';
      else if (isGolang && !/\d/.test(tag)) messageId = 'floatingGo';
      if (!messageId) {
        if (ctx.options.requireDigest) ctx.report({ span: stage.imageSpan, messageId: 'noDigest', data: { image: image.text }, severity: 'info' });
        continue;
      }
      const fixes = (): Fix[] => {
        const version = isGolang && !written.includes('$') ? versionFromGoMod() : undefined;
        if (!version) return [];
        const variant = tag && tag !== 'latest' ? `-${tag}` : '';
        const base = written.replace(/:[^/@]*$/, '');
        return [{ title: `Pin to golang:${version}${variant} (go.mod)`, safe: false, preferred: true, edits: [{ ...stage.imageSpan, newText: `${base}:${version}${variant}` }] }];
      };
      ctx.report({ span: stage.imageSpan, messageId, data: { image: image.text }, fixes: isGolang ? fixes : undefined });
    }
  },
});

/** The image a stage pulls, or undefined for scratch, stage references and unresolved variables. */
function externalImage(stage: Stage): ImageRef | undefined {
  if (stage.parent || !stage.image || stage.image.unresolved) return undefined;
  if (stage.image.repository === 'scratch' && stage.image.registry === undefined) return undefined;
  return stage.image;
}
