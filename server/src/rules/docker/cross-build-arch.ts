import type { Instruction } from 'dockerfile-ast';
import { defineDockerRule } from '../../engine/rule';
import type { Edit, Fix } from '../../core/finding';
import { DOCKER_STAGES, flagsOf, variableAt, type DockerModel, type Stage } from '../../languages/docker/model/stages';
import { envForGoCommand, goCommands, type EnvSetting, type GoCommand } from '../../languages/docker/model/run';

/**
 * Flags Go builds in a multi-platform Dockerfile — a stage `FROM
 * --platform=$BUILDPLATFORM`, or any use of TARGETARCH/TARGETOS/
 * TARGETPLATFORM — whose target is wrong for some platform: `GOARCH` set to
 * a literal (`amd64`) instead of `$TARGETARCH`, and `GOARCH=$TARGETARCH` (or
 * `GOOS=$TARGETOS`) in a stage that does not declare `ARG TARGETARCH`, where
 * the variable is empty and Go builds for the build machine. Skips stages
 * that build for several literal architectures (one binary per arch, picked
 * later), outputs named after a variable or the arch, and files whose final
 * stage is pinned to the same platform.
 */
export const rule = defineDockerRule({
  id: 'docker/cross-build-arch',
  meta: {
    title: 'GOARCH hard-coded in a multi-platform build',
    description: 'In a multi-platform build, GOARCH=amd64 (or an undeclared $TARGETARCH) puts an amd64 binary into the arm64 image: exec format error at start.',
    severity: 'error',
    fixable: true,
    messages: {
      literal: 'GOARCH={arch} in a {why}: the {other} image gets an {arch} binary and fails with "exec format error"',
      undeclared: '{name}=${variable} but the stage declares no ARG {variable}: it is empty and Go builds for the build machine',
    },
  },
  analyses: [DOCKER_STAGES],
  check(ctx) {
    const model = ctx.resultOf(DOCKER_STAGES);
    const why = multiPlatformReason(model);
    if (!why) return;
    const reported = new Set<string>();
    const builds = goCommands(model).filter((c) => c.sub === 'build' || c.sub === 'install');
    for (const cmd of builds) {
      const stage = cmd.run.stage;
      for (const [name, variable] of [['GOARCH', 'TARGETARCH'], ['GOOS', 'TARGETOS']] as const) {
        const setting = envForGoCommand(model, cmd, name);
        const value = setting?.value;
        if (!setting || value === undefined || value === '') continue;
        const key = `${setting.span.start}:${name}`;
        if (reported.has(key)) continue;
        const usesVariable = new RegExp(`\\$\\{?${variable}\\b`).test(value);
        if (usesVariable && !declaresArg(model, stage, cmd.run.instruction, variable)) {
          reported.add(key);
          ctx.report({ span: setting.span, messageId: 'undeclared', data: { name, variable }, fixes: [declareArg(model, stage, variable)] });
          continue;
        }
        if (name !== 'GOARCH' || value.includes('$') || !/^[a-z0-9]+$/.test(value)) continue;
        if (buildsSeveralArchs(model, stage) || outputNamesArch(cmd, value) || finalPinnedTo(model, value)) continue;
        reported.add(key);
        const other = value === 'arm64' ? 'amd64' : 'arm64';
        ctx.report({ span: setting.span, messageId: 'literal', data: { arch: value, why, other }, fixes: () => useTargetArch(model, stage, setting, value) });
      }
    }
  },
});

/** Why the file is a multi-platform build, or undefined when nothing says so. */
function multiPlatformReason(model: DockerModel): string | undefined {
  const buildPlatform = model.stages.some((s) => flagsOf(s.from).some((f) => f.name === 'platform' && /\$\{?BUILDPLATFORM\b/.test(f.value ?? '')));
  if (buildPlatform) return 'stage built FROM --platform=$BUILDPLATFORM';
  const text = model.file.source.text;
  return /\$\{?TARGET(ARCH|OS|PLATFORM|VARIANT)\b|\bARG\s+TARGET(ARCH|OS|PLATFORM|VARIANT)\b/i.test(text) ? 'multi-platform build (it reads TARGET* arguments)' : undefined;
}

/** `ARG TARGETARCH` in the stage before the instruction (automatic platform ARGs must be declared per stage). */
function declaresArg(model: DockerModel, stage: Stage, ins: Instruction, variable: string): boolean {
  return variableAt(model, stage, ins, variable)?.kind === 'arg';
}

/** The stage builds for two or more literal architectures: one binary per arch, chosen later by TARGETARCH. */
function buildsSeveralArchs(model: DockerModel, stage: Stage): boolean {
  const archs = new Set(goCommands(model).filter((c) => c.run.stage === stage).map((c) => envForGoCommand(model, c, 'GOARCH')?.value).filter((v): v is string => !!v && !v.includes('$')));
  return archs.size >= 2;
}

function outputNamesArch(cmd: GoCommand, arch: string): boolean {
  const o = cmd.flags.get('o');
  return o !== undefined && o !== true && (o.expands || o.value.includes(arch));
}

/** Every stage that ships is pinned to linux/<arch>: a single-platform image on purpose. */
function finalPinnedTo(model: DockerModel, arch: string): boolean {
  const final = model.final;
  const platform = final ? flagsOf(final.from).find((f) => f.name === 'platform')?.value : undefined;
  return platform !== undefined && platform !== null && new RegExp(`^[a-z]+/${arch}(/|$)`).test(platform);
}

function declareArg(model: DockerModel, stage: Stage, variable: string): Fix {
  const file = model.file;
  const at = file.source.lineContentEnd(file.source.lineOf(file.spanOf(stage.from.getRange()).end));
  // Declaring the automatic argument gives it the value BuildKit meant it to have.
  return { title: `Declare ARG ${variable} in the stage`, safe: true, preferred: true, edits: [{ start: at, end: at, newText: `${file.source.eol}ARG ${variable}` }] };
}

function useTargetArch(model: DockerModel, stage: Stage, setting: EnvSetting, arch: string): Fix[] {
  const text = model.file.source.text.slice(setting.span.start, setting.span.end);
  const m = new RegExp(`GOARCH[= ]+["']?(${arch})\\b`).exec(text);
  if (!m) return [];
  const start = setting.span.start + m.index + m[0].length - arch.length;
  const edits: Edit[] = [{ start, end: start + arch.length, newText: '${TARGETARCH}' }];
  if (variableAt(model, stage, undefined, 'TARGETARCH')?.kind !== 'arg') edits.unshift(...declareArg(model, stage, 'TARGETARCH').edits);
  // Builds that ran on an amd64 machine without --platform now follow the target: intended, but a change.
  return [{ title: 'Build for ${TARGETARCH}', safe: false, preferred: true, edits }];
}
