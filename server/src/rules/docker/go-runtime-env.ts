import { Env } from 'dockerfile-ast';
import { defineDockerRule } from '../../engine/rule';
import type { Fix, Span } from '../../core/finding';
import { correctGoByteCount, parseGoByteCount } from '../../languages/k8s/model/quantity';
import { DOCKER_STAGES, lastInChain, stageChain, type DockerModel, type Stage } from '../../languages/docker/model/stages';
import { entrypointAssignments } from '../../languages/docker/model/entrypoint';

/**
 * Flags Go runtime settings baked into an image that the runtime rejects or
 * ignores, as k8s/gomemlimit-invalid does for manifests: a `GOMEMLIMIT` that
 * is not a Go byte count (every Go program started with it exits, `go
 * build` included), a `GOGC` that is neither an integer nor `off`, a
 * `GOMAXPROCS` that is not a positive integer (both silently ignored), and
 * `GOGC=off` in the final image without a `GOMEMLIMIT` (the heap only grows).
 * Reads ENV in every stage and `NAME=value` prefixes of the final
 * ENTRYPOINT/CMD. Skips values holding variables, ARG (build-time only) and
 * `GOGC=off` in build stages (a common way to speed up compiles).
 */
export const rule = defineDockerRule({
  id: 'docker/go-runtime-env',
  meta: {
    title: 'Go runtime setting the runtime rejects or ignores',
    description: 'GOMEMLIMIT must be a Go byte count (400MiB, not 400M) or Go programs exit at start; a malformed GOGC or GOMAXPROCS is silently ignored.',
    severity: 'error',
    fixable: true,
    messages: {
      gomemlimit: 'GOMEMLIMIT={value} is not a Go byte count (B, KiB, MiB, GiB, TiB): every Go program started with it exits',
      gogc: 'GOGC={value} is neither an integer nor "off": the runtime ignores it and keeps GOGC=100',
      gomaxprocs: 'GOMAXPROCS={value} is not a positive integer: the runtime ignores it and uses every CPU it sees',
      gcOff: 'GOGC={value} turns the GC off and the image sets no GOMEMLIMIT: the heap grows until the OOM kill',
    },
  },
  analyses: [DOCKER_STAGES],
  check(ctx) {
    const model = ctx.resultOf(DOCKER_STAGES);
    const settings = collectSettings(model);
    for (const s of settings) {
      if (s.value.includes('$')) continue;
      if (s.name === 'GOMEMLIMIT' && s.value !== '' && parseGoByteCount(s.value) === undefined) {
        const fixed = correctGoByteCount(s.value);
        ctx.report({ span: s.span, messageId: 'gomemlimit', data: { value: s.value }, fixes: replace(s, fixed) });
      } else if (s.name === 'GOGC' && s.value !== '' && !isGogc(s.value)) {
        const fixed = /^\s*off\s*$/i.test(s.value) ? 'off' : /^\s*(\d+)\s*%?\s*$/.exec(s.value)?.[1];
        ctx.report({ span: s.span, messageId: 'gogc', severity: 'warning', data: { value: s.value }, fixes: replace(s, fixed) });
      } else if (s.name === 'GOMAXPROCS' && s.value !== '' && !/^0*[1-9]\d*$/.test(s.value)) {
        ctx.report({ span: s.span, messageId: 'gomaxprocs', severity: 'warning', data: { value: s.value } });
      }
    }
    const final = model.final;
    if (!final) return;
    const runtime = settings.filter((s) => s.stage === undefined || stageChain(final).includes(s.stage));
    const gcOff = lastOf(runtime, 'GOGC');
    const limit = lastOf(runtime, 'GOMEMLIMIT');
    if (gcOff && (gcOff.value === 'off' || /^-\d+$/.test(gcOff.value)) && (!limit || limit.value === 'off' || limit.value === '')) {
      ctx.report({ span: gcOff.span, messageId: 'gcOff', severity: 'warning', data: { value: gcOff.value } });
    }
  },
});

interface Setting {
  name: string;
  value: string;
  /** Span of the value as written (quotes included). */
  span: Span;
  raw: string;
  /** The stage of an ENV; undefined for the final ENTRYPOINT/CMD. */
  stage?: Stage;
}

const NAMES = new Set(['GOMEMLIMIT', 'GOGC', 'GOMAXPROCS']);

/** The runtime reads GOGC with atoi: an optional sign and digits, or exactly "off". */
function isGogc(value: string): boolean {
  return value === 'off' || /^-?\d+$/.test(value);
}

function collectSettings(model: DockerModel): Setting[] {
  const out: Setting[] = [];
  const text = model.file.source.text;
  for (const stage of model.stages) {
    for (const ins of stage.instructions) {
      if (!(ins instanceof Env)) continue;
      for (const p of ins.getProperties()) {
        const range = p.getValueRange();
        const value = unquote(p.getUnescapedValue());
        if (!NAMES.has(p.getName()) || !range || value === null) continue;
        const span = model.file.spanOf(range);
        out.push({ name: p.getName(), value, span, raw: text.slice(span.start, span.end), stage });
      }
    }
  }
  const final = model.final;
  if (!final) return out;
  for (const keyword of ['ENTRYPOINT', 'CMD']) {
    const ins = lastInChain(final, keyword);
    if (!ins) continue;
    for (const a of entrypointAssignments(model, ins)) {
      const eq = a.value.indexOf('=');
      const name = a.value.slice(0, eq);
      if (!NAMES.has(name)) continue;
      const raw = text.slice(a.span.start, a.span.end);
      const at = raw.indexOf('=') + 1;
      // Exec-form words span the whole array (no word ranges): then the report covers it and no fix is offered.
      const exact = at > 0 && raw.slice(0, at) === `${name}=`;
      const span = exact ? { start: a.span.start + at, end: a.span.end } : a.span;
      out.push({ name, value: a.value.slice(eq + 1), span, raw: exact ? raw.slice(at) : '' });
    }
  }
  return out;
}

function lastOf(settings: Setting[], name: string): Setting | undefined {
  return settings.filter((s) => s.name === name).pop();
}

/** Replaces the value inside its written form (keeps quotes); no fix when the value is not found there. */
function replace(s: Setting, fixed: string | undefined): Fix[] {
  const at = s.raw.indexOf(s.value);
  if (fixed === undefined || at < 0 || s.value === '') return [];
  // The runtime reads the corrected spelling as the author meant it (400M -> 400MiB, OFF -> off, 50% -> 50).
  return [{ title: `Change to ${fixed}`, safe: true, preferred: true, edits: [{ start: s.span.start + at, end: s.span.start + at + s.value.length, newText: fixed }] }];
}

/** dockerfile-ast keeps the quotes of `ENV A="x"` in the value; the runtime sees x. */
function unquote(value: string | null): string | null {
  return value !== null && value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]) ? value.slice(1, -1) : value;
}
