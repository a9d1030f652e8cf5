import { isScalar, type Scalar, type YAMLMap } from 'yaml';
import { defineK8sRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import { k8sWorkloads, type Container } from '../../languages/k8s/model/workloads';
import { entryOf, mapAt, mapPath, scalarText, seqAt, spanOf } from '../../languages/k8s/nodes';
import { insertIntoMap, replaceScalar } from '../../languages/k8s/edits/yaml-edit';
import type { K8sFile } from '../../languages/k8s/parser';
import type { RuleContext } from '../../engine/rule';
import type { RelatedInfo, Span } from '../../core/finding';
import { linkedContainer } from '../shared/service-container';

const DEFAULT_GRACE = 30;

/**
 * Flags a preStop hook that sleeps as long as or longer than the pod's
 * terminationGracePeriodSeconds (default 30): SIGKILL arrives before the Go
 * server gets SIGTERM or can drain. Reads `sleep N` in exec commands and the
 * `sleep` action. When the service model links the container to the Go
 * binary it runs, and that program handles SIGTERM and calls `Shutdown` with
 * a literal timeout (`context.WithTimeout(ctx, 20*time.Second)`), also flags
 * a grace period shorter than the preStop sleep plus that timeout: SIGKILL
 * lands mid-drain (warning). Silent when the timeout is not a literal, the
 * command runs a shell or another binary, or the link is ambiguous.
 */
export const rule = defineK8sRule({
  id: 'k8s/termination-grace',
  meta: {
    title: 'Termination grace period shorter than the preStop sleep',
    description: 'The grace period covers the preStop hook and the shutdown that follows: a sleep that uses it all up means the server is killed while draining.',
    severity: 'error',
    fixable: true,
    messages: {
      short: 'preStop sleeps {sleep}s but terminationGracePeriodSeconds is {grace}s: the server is killed before it drains',
      drain: '{wait} but terminationGracePeriodSeconds is {grace}s: SIGKILL lands mid-drain',
    },
    options: {
      shutdownSeconds: { type: 'integer', description: 'Seconds the fix adds after the preStop sleep for the server to shut down.', default: 15, minimum: 1 },
    },
  },
  check(ctx, file) {
    for (const w of k8sWorkloads(file)) {
      const doc = w.doc;
      const graceNode = entryOf(doc, w.podSpec, 'terminationGracePeriodSeconds')?.value;
      const graceText = scalarText(graceNode);
      const grace = graceText === undefined ? DEFAULT_GRACE : Number(graceText);
      if (!Number.isFinite(grace)) continue;
      const flagged = w.containers.flatMap((c): Flagged[] => {
        const sleep = preStopSleep(c);
        const drain = shutdownOf(ctx, c);
        if (sleep && sleep.seconds >= grace) return [{ c, sleep, drain, need: sleep.seconds + (drain?.seconds ?? Math.max(1, ctx.options.shutdownSeconds)) }];
        const total = (sleep?.seconds ?? 0) + (drain?.seconds ?? 0);
        return drain && total > grace ? [{ c, sleep, drain, need: total }] : [];
      });
      // One grace period per pod: only the neediest container's finding carries the fix, so fixes never overlap.
      const neediest = flagged.reduce<Flagged | undefined>((m, x) => (!m || x.need > m.need ? x : m), undefined);
      for (const { c, sleep, drain, need } of flagged) {
        const seconds = Math.ceil(need) + (drain ? 5 : 0);
        const fixes = (): Fix[] => (c === neediest?.c ? graceFix(file, w.podSpec, isScalar(graceNode) ? graceNode : undefined, seconds) : []);
        const related: RelatedInfo[] = drain ? [{ file: drain.file, span: drain.span, message: `Shutdown waits up to ${drain.text} (${drain.seconds}s)` }] : [];
        if (sleep && sleep.seconds >= grace) {
          ctx.report({ span: sleep.span, messageId: 'short', data: { sleep: sleep.seconds, grace }, related, fixes });
          continue;
        }
        if (!drain) continue;
        const wait = sleep ? `preStop sleeps ${sleep.seconds}s and the server drains for up to ${drain.seconds}s` : `container ${c.name ?? '(unnamed)'} drains for up to ${drain.seconds}s after SIGTERM`;
        ctx.report({ span: sleep?.span ?? c.span, messageId: 'drain', data: { wait, grace }, severity: 'warning', related, fixes });
      }
    }
  },
});

interface Flagged {
  c: Container;
  sleep?: { seconds: number; span: Span };
  drain?: { seconds: number; text: string; file: string; span: Span };
  /** Seconds the pod needs between SIGTERM to the hook and the end of the drain. */
  need: number;
}

/**
 * The Go program's shutdown wait, when the model links the container to the
 * binary it runs and the program handles SIGTERM and calls Shutdown with a
 * literal timeout.
 */
function shutdownOf(ctx: RuleContext<unknown>, c: Container): { seconds: number; text: string; file: string; span: Span } | undefined {
  const go = linkedContainer(ctx, c)?.go;
  const t = go?.runs === 'go' && go.main?.sigterm ? go.main.shutdownTimeout : undefined;
  return t?.seconds !== undefined && t.seconds > 0 ? { seconds: t.seconds, text: t.text, file: t.file, span: t.span } : undefined;
}

function preStopSleep(c: Container): { seconds: number; span: { start: number; end: number } } | undefined {
  const doc = c.workload.doc;
  const preStop = mapPath(doc, c.map, ['lifecycle', 'preStop']);
  if (!preStop) return undefined;
  const action = mapAt(doc, preStop, 'sleep');
  const secondsNode = entryOf(doc, action, 'seconds')?.value;
  const direct = Number(scalarText(secondsNode));
  const directSpan = spanOf(secondsNode);
  if (Number.isFinite(direct) && directSpan) return { seconds: direct, span: directSpan };
  const command = seqAt(doc, mapAt(doc, preStop, 'exec'), 'command');
  for (const item of command?.items ?? []) {
    const text = scalarText(item);
    const span = spanOf(item);
    if (text === undefined || !span) continue;
    const m = /(?:^|[\s;&|/])sleep\s+(\d+(?:\.\d+)?)s?\b/.exec(text) ?? (/^(\d+)$/.test(text) && isSleepArgument(command?.items ?? [], item) ? [text, text] : null);
    if (m) return { seconds: Number(m[1]), span };
  }
  return undefined;
}

/** `["/bin/sleep", "20"]`: the number right after a sleep binary. */
function isSleepArgument(items: readonly unknown[], item: unknown): boolean {
  const i = items.indexOf(item);
  const prev = i > 0 ? scalarText(items[i - 1]) : undefined;
  return prev !== undefined && /(^|\/)sleep$/.test(prev);
}

function graceFix(file: K8sFile, podSpec: YAMLMap, graceNode: Scalar | undefined, seconds: number): Fix[] {
  if (podSpec.anchor) return [];
  const edit = graceNode ? replaceScalar(graceNode, String(seconds)) : insertIntoMap(file.source, podSpec, [['terminationGracePeriodSeconds', String(seconds)]]);
  return edit ? [{ title: `Set terminationGracePeriodSeconds: ${seconds}`, edits: [edit], preferred: true, safe: false }] : [];
}
