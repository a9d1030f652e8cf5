import * as path from 'node:path';
import { isScalar, type YAMLMap, type YAMLSeq } from 'yaml';
import { defineCrossRule } from '../../engine/rule';
import type { Fix, RelatedInfo } from '../../core/finding';
import type { K8sFile } from '../../languages/k8s/parser';
import { k8sContainers, PROBE_KINDS, type Container } from '../../languages/k8s/model/workloads';
import { isKustomizePatch } from '../../languages/k8s/model/resources';
import { mapAt, mapPath, scalarText, seqAt, spanOf } from '../../languages/k8s/nodes';
import { replacePair } from '../../languages/k8s/edits/yaml-edit';
import type { DockerfileNode } from '../../workspace/service-model/types';
import { imageDockerfile, relativeTo } from '../shared/linked-service';

/**
 * Flags an `exec` handler — `lifecycle.preStop`, `lifecycle.postStart`, or a
 * probe — whose command starts a program the container's image does not
 * hold: a shell (`sh -c ...`) or any binary, on an image whose final stage
 * is `scratch` (it holds only what the Dockerfile copies in) or distroless
 * (no shell, no utilities). The image must be linked by the service model to
 * exactly one Dockerfile of the workspace. Silent on other bases (alpine,
 * debian, distroless `:debug`), on a program the Dockerfile copies into the
 * final image (or into a folder of the PATH, or into `/`), and on distroless
 * for programs that are not a shell or a common utility (the base may carry
 * an interpreter: distroless/python3).
 */
export const rule = defineCrossRule({
  id: 'x/prestop-needs-shell',
  appliesTo: ['k8s'],
  meta: {
    title: 'Exec hook or probe the image cannot run',
    description: 'A preStop hook, postStart hook or exec probe that runs a shell or binary absent from a scratch or distroless image always fails.',
    severity: 'error',
    fixable: true,
    messages: {
      preStop: 'preStop runs {program}, which the image lacks ({why}): the hook fails and no drain delay happens',
      postStart: 'postStart runs {program}, which the image lacks ({why}): the container is killed at every start',
      probe: '{probe} runs {program}, which the image lacks ({why}): the probe always fails',
    },
    figures: {
      program: { label: 'Program the command starts', unit: 'text' },
      image: { label: 'Final image', unit: 'text' },
    },
  },
  check(ctx, file) {
    if (file.kind !== 'k8s' || isKustomizePatch(ctx.workspace, ctx.filePath)) return;
    for (const c of k8sContainers(file)) {
      if (c.isPartial || !c.image) continue;
      const handlers = execHandlers(c);
      if (handlers.length === 0) continue;
      const model = ctx.workspace.serviceModel();
      const found = model?.container(ctx.filePath, c.workload.object.kind, c.workload.object.name ?? '?', c.name ?? String(c.workload.containers.indexOf(c)));
      const dockerfile = found ? imageDockerfile(ctx.workspace, found.node) : undefined;
      if (!dockerfile?.facts.bareBase) continue;
      for (const h of handlers) {
        const program = h.words.at(0);
        if (program === undefined || present(dockerfile, program)) continue;
        const base = dockerfile.facts.finalBase ?? 'scratch';
        const why = dockerfile.facts.bareBase === 'scratch' ? `FROM ${base} holds only what ${relativeTo(ctx.filePath, dockerfile.file)} copies in` : `${base} has no shell or utilities`;
        const related: RelatedInfo[] = dockerfile.facts.finalBaseSpan ? [{ file: dockerfile.file, span: dockerfile.facts.finalBaseSpan, message: `the final stage: FROM ${base}` }] : [];
        ctx.report({
          span: h.span,
          messageId: h.kind === 'preStop' || h.kind === 'postStart' ? h.kind : 'probe',
          data: { program, why, probe: h.kind },
          figures: { program, image: `FROM ${base}` },
          related,
          fixes: () => (h.kind === 'preStop' ? sleepAction(file, h) : []),
        });
      }
    }
  },
});

interface ExecHandler {
  kind: 'preStop' | 'postStart' | (typeof PROBE_KINDS)[number];
  /** The handler map (`preStop`, or the probe) holding `exec`. */
  holder: YAMLMap;
  words: string[];
  /** The command's first word. */
  span: { start: number; end: number };
}

function execHandlers(c: Container): ExecHandler[] {
  const doc = c.workload.doc;
  const out: ExecHandler[] = [];
  const add = (kind: ExecHandler['kind'], holder: YAMLMap | undefined): void => {
    const seq: YAMLSeq | undefined = seqAt(doc, mapAt(doc, holder, 'exec'), 'command');
    const words = (seq?.items ?? []).map((i) => scalarText(i));
    const span = spanOf(seq?.items[0]);
    // A template or an alias in the command: what runs is not known.
    if (!holder || !span || words.length === 0 || words.some((w) => w === undefined || /\$\{|\{\{/.test(w)) || !isScalar(seq?.items[0])) return;
    out.push({ kind, holder, words: words as string[], span });
  };
  add('preStop', mapPath(doc, c.map, ['lifecycle', 'preStop']));
  add('postStart', mapPath(doc, c.map, ['lifecycle', 'postStart']));
  for (const kind of PROBE_KINDS) add(kind, c.probes[kind]);
  return out;
}

const PATH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'busybox']);
/** Programs a distroless base does not hold: shells and the utilities hooks and probes call. */
const UTILITIES = new Set(['sleep', 'curl', 'wget', 'nc', 'cat', 'echo', 'test', 'kill', 'pkill', 'pgrep', 'ps', 'ls', 'grep', 'true', 'false', 'touch', 'rm', 'timeout', 'grpc_health_probe']);

/** Is `program` in the final image? Copied there (or into a PATH folder holding it, or into `/`), or possibly part of a distroless base. */
function present(d: DockerfileNode, program: string): boolean {
  const copies = [...d.facts.finalCopies, ...d.facts.builds.map((b) => b.finalPath).filter((p): p is string => p !== undefined)];
  const candidates = program.includes('/') ? [path.posix.resolve('/', program)] : PATH_DIRS.map((dir) => `${dir}/${program}`);
  const covered = candidates.some((p) => copies.some((c) => c === p || (c.endsWith('/') && p.startsWith(c))));
  if (covered) return true;
  if (d.facts.bareBase === 'scratch') return false;
  return !(SHELLS.has(path.posix.basename(program)) || UTILITIES.has(path.posix.basename(program)));
}

/** `sleep 5`, `sh -c "sleep 5"`: the seconds; undefined for any other command. */
function sleepSeconds(words: readonly string[]): number | undefined {
  const plain = (ws: readonly string[]): number | undefined => {
    if (ws.length !== 2 || path.posix.basename(ws[0]) !== 'sleep' || !/^\d+$/.test(ws[1])) return undefined;
    return Number(ws[1]);
  };
  if (SHELLS.has(path.posix.basename(words[0])) && words[1] === '-c' && words.length === 3) return plain(words[2].trim().split(/\s+/));
  return plain(words);
}

/** preStop `exec` that only sleeps → the `sleep` action (Kubernetes 1.30+, beta in 1.29): needs no program in the image. */
function sleepAction(file: K8sFile, h: ExecHandler): Fix[] {
  const seconds = sleepSeconds(h.words);
  if (seconds === undefined) return [];
  const edit = replacePair(file.source, h.holder, 'exec', [['sleep', [['seconds', String(seconds)]]]]);
  if (!edit) return [];
  // The pair's end takes its line break: give it back.
  const eol = /\r?\n$|\r$/.exec(file.source.text.slice(edit.start, edit.end))?.[0] ?? '';
  return [{ title: `Use the sleep action (${seconds} s), which needs no shell`, edits: [{ ...edit, newText: edit.newText + eol }], preferred: true, safe: false }];
}
