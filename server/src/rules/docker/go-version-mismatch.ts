import { defineDockerRule } from '../../engine/rule';
import type { Edit, Fix, Span } from '../../core/finding';
import { compareGoVersions } from '../../languages/gomod/parser';
import { buildGoMod } from '../../workspace/build-context';
import { DOCKER_STAGES, type DockerModel, type Stage } from '../../languages/docker/model/stages';
import { GO_RELEASES_AS_OF, goRelease, oldestSupportedGo } from '../../languages/gomod/releases';
import { mainsBuiltBy } from '../shared/linked-mains';

/**
 * Flags a `golang:X.Y` stage older than the go.mod of the code it builds
 * (the main packages the service model links the Dockerfile to, the newest
 * `go` line of their modules; else the build context's go.mod): older
 * than its `go` line (error: golang images set GOTOOLCHAIN=local, so the
 * build stops), or only older than its `toolchain` line (info). Compares at
 * the tag's precision (`golang:1.22` satisfies `go 1.22.3`). Otherwise, a
 * stage older than the oldest supported Go release (warning): the older of
 * the two newest releases in the shipped release table as of today, or the
 * `minimumGoVersion` option. Skips tags without a version, images from
 * unresolved variables, non-official images.
 */


export const rule = defineDockerRule({
  id: 'docker/go-version-mismatch',
  meta: {
    title: 'golang image older than go.mod',
    description: 'A golang base image older than the go directive of go.mod fails the build (GOTOOLCHAIN=local in the image).',
    severity: 'error',
    fixable: true,
    messages: {
      tooOld: '{image} has Go {have} but go.mod requires go {want}: the build fails (GOTOOLCHAIN=local)',
      olderToolchain: '{image} has Go {have}, older than go.mod toolchain go{want}: builds differ from local ones',
      unsupported: '{image} has Go {have}, older than Go {floor}, the oldest release {why}: no security fixes',
    },
    options: {
      minimumGoVersion: {
        type: 'string',
        description: `Oldest Go accepted in golang images (\`1.24\`). Empty: the older of the two newest Go releases out today, from the release table shipped with Shipshape (as of ${GO_RELEASES_AS_OF}).`,
        default: '',
      },
    },
  },
  analyses: [DOCKER_STAGES],
  check(ctx) {
    const model = ctx.resultOf(DOCKER_STAGES);
    const golangStages = model.stages.filter((s) => !s.parent && isOfficialGolang(s));
    if (golangStages.length === 0) return;
    const mod = linkedGoMod(ctx, ctx.filePath) ?? buildGoMod(ctx.workspace, ctx.filePath);
    const floor = ctx.options.minimumGoVersion || oldestSupportedGo(new Date())?.version;
    const why = ctx.options.minimumGoVersion ? 'accepted here (minimumGoVersion)' : 'Go still supports';
    for (const stage of golangStages) {
      const tag = stage.image?.tag ?? '';
      const m = /^(\d+\.\d+(?:\.\d+)?(?:rc\d+|beta\d+)?)(.*)$/.exec(tag);
      if (!m) continue;
      const [, have, variant] = m;
      const precise = have.split('.').length >= 3 || /rc|beta/.test(have);
      const atPrecision = (v: string): string => (precise ? v : v.split('.').slice(0, 2).join('.').replace(/(rc|beta)\d+$/, ''));
      const data = { image: stage.image?.text ?? tag, have };
      if (mod?.go && compareGoVersions(have, atPrecision(mod.go)) < 0) {
        const want = atPrecision(mod.go);
        ctx.report({ span: stage.imageSpan, messageId: 'tooOld', data: { ...data, want: mod.go }, fixes: () => bump(model, stage, have, want, variant, true) });
      } else if (mod?.go && mod.toolchain && compareGoVersions(have, atPrecision(mod.toolchain)) < 0) {
        const want = atPrecision(mod.toolchain);
        ctx.report({ span: stage.imageSpan, messageId: 'olderToolchain', severity: 'info', data: { ...data, want: mod.toolchain }, fixes: () => bump(model, stage, have, want, variant, false) });
      } else if (floor && compareGoVersions(have.split('.').slice(0, 2).join('.'), floor) < 0) {
        const want = supportedTarget(mod?.go, floor, precise);
        ctx.report({ span: stage.imageSpan, messageId: 'unsupported', severity: 'warning', data: { ...data, floor, why }, fixes: () => bump(model, stage, have, want, variant, false) });
      }
    }
  },
});

/** The go.mod of the linked main packages' modules with the newest `go` line: every module the image builds needs its Go. */
function linkedGoMod(ctx: Parameters<typeof mainsBuiltBy>[0], dockerfile: string): { go?: string; toolchain?: string } | undefined {
  const model = ctx.workspace.serviceModel();
  const modules = mainsBuiltBy(ctx, dockerfile).map((m) => (m.module === undefined ? undefined : model?.module(m.module))).filter((m) => m !== undefined);
  return modules.reduce<(typeof modules)[number] | undefined>((a, m) => (!a || (m.go !== undefined && (a.go === undefined || compareGoVersions(m.go, a.go) > 0)) ? m : a), undefined);
}

/**
 * The version to move an unsupported image to: go.mod's `go` line when it is
 * supported (what the module asks for), else the oldest supported release;
 * as precise as the tag (`1.26` or its newest known patch).
 */
function supportedTarget(goLine: string | undefined, floor: string, precise: boolean): string {
  const major = (v: string): string => v.split('.').slice(0, 2).join('.');
  if (goLine && compareGoVersions(major(goLine), floor) >= 0) return precise ? goLine : major(goLine);
  return precise ? goRelease(floor)?.latestPatch ?? `${floor}.0` : floor;
}

function isOfficialGolang(stage: Stage): boolean {
  const image = stage.image;
  return image !== undefined && !image.unresolved && image.name === 'golang' && image.repository === 'golang' && (image.registry === undefined || image.registry === 'docker.io');
}

/**
 * Replaces the version in the tag as written, or in the default of the ARG
 * the tag is built from (`golang:${GO_VERSION}-alpine`).
 */
function bump(model: DockerModel, stage: Stage, have: string, want: string, variant: string, safe: boolean): Fix[] {
  const file = model.file;
  const written = file.source.text.slice(stage.imageSpan.start, stage.imageSpan.end);
  const title = `Use golang:${want}${variant}`;
  const literal = written.lastIndexOf(`:${have}`);
  if (literal >= 0 && !written.includes('$')) {
    const start = stage.imageSpan.start + literal + 1;
    return [{ title, safe, preferred: true, edits: [{ start, end: start + have.length, newText: want }] }];
  }
  const edit = argDefaultEdit(model, stage, written, have, want);
  return edit ? [{ title, safe, preferred: true, edits: [edit] }] : [];
}

function argDefaultEdit(model: DockerModel, stage: Stage, written: string, have: string, want: string): Edit | undefined {
  const v = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(written.slice(written.indexOf(':') + 1))?.[1];
  if (!v) return undefined;
  const line = stage.from.getRange().start.line;
  const arg = model.globalArgs.filter((a) => a.getRange().start.line < line).map((a) => a.getProperty()).filter((p) => p?.getName() === v).pop();
  const range = arg?.getValueRange();
  if (!arg || !range) return undefined;
  const span: Span = model.file.spanOf(range);
  const value = model.file.source.text.slice(span.start, span.end);
  const at = value.indexOf(have);
  if (at < 0) return undefined;
  return { start: span.start + at, end: span.start + at + have.length, newText: want };
}
