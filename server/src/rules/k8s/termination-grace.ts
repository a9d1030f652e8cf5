import { isScalar, type Scalar, type YAMLMap } from 'yaml';
import { defineK8sRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import { k8sWorkloads, type Container } from '../../languages/k8s/model/workloads';
import { entryOf, mapAt, mapPath, scalarText, seqAt, spanOf } from '../../languages/k8s/nodes';
import { insertIntoMap, replaceScalar } from '../../languages/k8s/edits/yaml-edit';
import type { K8sFile } from '../../languages/k8s/parser';

interface Options {
  shutdownSeconds: number;
}

const DEFAULT_GRACE = 30;

/**
 * Flags a preStop hook that sleeps as long as or longer than the pod's
 * terminationGracePeriodSeconds (default 30): SIGKILL arrives before the Go
 * server gets SIGTERM or can drain. Reads `sleep N` in exec commands and the
 * `sleep` action. Hook left for the cross-file work: the Go shutdown timeout.
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
      const short = w.containers.flatMap((c) => {
        const sleep = preStopSleep(c);
        return sleep && sleep.seconds >= grace ? [{ c, sleep }] : [];
      });
      // One grace period per pod: only the longest sleep's finding carries the fix, so fixes never overlap.
      const longest = short.reduce<(typeof short)[number] | undefined>((m, x) => (!m || x.sleep.seconds > m.sleep.seconds ? x : m), undefined);
      for (const { c, sleep } of short) {
        const seconds = sleep.seconds + Math.max(1, ctx.options.shutdownSeconds);
        ctx.report({
          span: sleep.span,
          messageId: 'short',
          data: { sleep: sleep.seconds, grace },
          fixes: () => (c === longest?.c ? graceFix(file, w.podSpec, isScalar(graceNode) ? graceNode : undefined, seconds) : []),
        });
      }
    }
  },
});

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
