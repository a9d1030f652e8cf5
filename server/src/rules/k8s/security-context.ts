import { isScalar } from 'yaml';
import { defineK8sRule } from '../../engine/rule';
import type { Fix, TextEditData } from '../../core/finding';
import { effectiveSecurity, k8sContainers, type Container } from '../../languages/k8s/model/workloads';
import { isKustomizePatch } from '../../languages/k8s/model/resources';
import { entryOf, spanOf } from '../../languages/k8s/nodes';
import { insertAtPath, scalarEnd, type YamlField } from '../../languages/k8s/edits/yaml-edit';
import type { K8sFile } from '../../languages/k8s/parser';
import type { RelatedInfo, Severity } from '../../core/finding';
import { linkedContainer } from '../shared/service-container';
import { THIRD_PARTY_IMAGES_OPTION, severityForImage } from '../shared/third-party-images';

type Field = 'runAsNonRoot' | 'allowPrivilegeEscalation' | 'readOnlyRootFilesystem';

const RISK: Readonly<Record<Field, string>> = {
  runAsNonRoot: 'run as root',
  allowPrivilegeEscalation: 'escalate privileges',
  readOnlyRootFilesystem: 'write its root filesystem',
};
const WANTED: Readonly<Record<Field, string>> = { runAsNonRoot: 'true', allowPrivilegeEscalation: 'false', readOnlyRootFilesystem: 'true' };

/**
 * Flags containers (init containers included) that run `privileged: true`
 * (error) or lack hardening: `runAsNonRoot: true` (or a non-zero `runAsUser`,
 * container or pod level), `allowPrivilegeEscalation: false`, and, by option,
 * `readOnlyRootFilesystem: true`. One hardening finding per container. The
 * message follows the image's effective user when the service model links
 * the container to its Dockerfile: "runs as root" only when it does, "does
 * not enforce runAsNonRoot" (info when that is all) when the image already
 * runs as non-root. Images the workspace does not build: `thirdPartyImages`.
 * Skips fragments (no `image`) and kustomize patches.
 */
export const rule = defineK8sRule({
  id: 'k8s/security-context',
  meta: {
    title: 'Container without a restrictive securityContext',
    description: 'Containers that may run as root, gain privileges or write their root filesystem give an attacker who gets code execution far more to work with.',
    severity: 'warning',
    fixable: true,
    messages: {
      privileged: 'container {name} is privileged: it has full access to the node, a breakout needs no exploit',
      hardening: 'container {name} can {risks}: more room for an attacker with code execution',
      rootUser: 'container {name} runs as root ({why}){more}: more room for an attacker with code execution',
      nonrootUser: 'container {name} does not enforce runAsNonRoot (its image runs as {user}){more}: a later image may run as root',
    },
    options: {
      ...THIRD_PARTY_IMAGES_OPTION,
      readOnlyRootFilesystem: { type: 'boolean', description: 'Also require `readOnlyRootFilesystem: true` (reported at info when it is the only gap).', default: true },
    },
  },
  check(ctx, file) {
    if (isKustomizePatch(ctx.workspace, ctx.filePath)) return;
    for (const c of k8sContainers(file, { init: true })) {
      if (c.isPartial) continue;
      const doc = c.workload.doc;
      const sc = c.securityContext;
      const privileged = entryOf(doc, sc, 'privileged')?.value;
      if (isScalar(privileged) && privileged.value === true) {
        const span = spanOf(privileged);
        if (span) ctx.report({ span, messageId: 'privileged', data: { name: c.name ?? '(unnamed)' }, severity: 'error' });
      }
      const missing = gaps(c, ctx.options.readOnlyRootFilesystem);
      if (missing.length === 0) continue;
      const user = missing.includes('runAsNonRoot') ? imageUser(ctx, c) : undefined;
      // The image already runs as non-root: not enforcing it is the smaller gap.
      const minor = (f: Field): boolean => f === 'readOnlyRootFilesystem' || (f === 'runAsNonRoot' && user?.kind !== undefined && user.kind !== 'root');
      const severity = severityForImage(ctx, c, missing.every(minor) ? 'info' : 'warning');
      if (!severity) continue;
      const name = c.name ?? '(unnamed)';
      const others = risksText(missing.filter((f) => f !== 'runAsNonRoot'));
      const more = others ? ` and can ${others}` : '';
      const related: RelatedInfo[] = user?.source?.span ? [{ file: user.source.file, span: user.source.span, message: user.reason }] : [];
      const report = (messageId: 'hardening' | 'rootUser' | 'nonrootUser', data: Record<string, string>, s: Severity): void => {
        ctx.report({ span: c.span, messageId, data: { name, ...data }, severity: s, related, fixes: () => hardeningFix(file, c, missing, user?.kind) });
      };
      if (user?.kind === 'root') report('rootUser', { why: user.why, more }, severity);
      else if (user) report('nonrootUser', { user: user.value, more }, severity);
      else report('hardening', { risks: risksText(missing) }, severity);
    }
  },
});

function risksText(fields: readonly Field[]): string {
  const risks = fields.map((f) => RISK[f]);
  return risks.length > 1 ? `${risks.slice(0, -1).join(', ')} and ${risks[risks.length - 1]}` : risks.at(0) ?? '';
}

/**
 * The user the container's image runs as, from the service model (the final
 * stage's USER, a non-root base's default, ko's base): `root`, a numeric
 * non-root uid (or a base known to set one), or a user name (the kubelet
 * cannot check a name against runAsNonRoot: it refuses to start the pod).
 */
interface ImageUser {
  kind: 'root' | 'numeric' | 'name';
  value: string;
  why: string;
  reason: string;
  source?: { file: string; span?: { start: number; end: number } };
}

function imageUser(ctx: Parameters<typeof linkedContainer>[0], c: Container): ImageUser | undefined {
  const user = linkedContainer(ctx, c)?.node.user;
  if (!user) return undefined;
  const fromUser = user.reason.startsWith('USER ');
  const name = user.value.split(':')[0];
  const kind = name === 'root' || name === '0' ? 'root' : /^\d+$/.test(name) || (!fromUser && name === 'nonroot') ? 'numeric' : 'name';
  return { kind, value: user.value, why: fromUser ? `USER ${user.value}` : 'its image sets no USER', reason: user.reason, source: user.source };
}

function gaps(c: Container, readOnly: boolean): Field[] {
  const sec = effectiveSecurity(c);
  const out: Field[] = [];
  if (sec.runAsNonRoot !== true && !(sec.runAsUser !== undefined && sec.runAsUser > 0)) out.push('runAsNonRoot');
  if (sec.allowPrivilegeEscalation !== false) out.push('allowPrivilegeEscalation');
  if (readOnly && sec.readOnlyRootFilesystem !== true) out.push('readOnlyRootFilesystem');
  return out;
}

/** Sets each missing field in the container's securityContext: replaces a wrong value, inserts the rest. */
function hardeningFix(file: K8sFile, c: Container, missing: readonly Field[], user: ImageUser['kind'] | undefined): Fix[] {
  if (c.usesAliases || c.securityContext?.anchor) return [];
  const doc = c.workload.doc;
  // The user the kubelet runs, the pod's when the container sets none; an image that runs as root, or as a
  // user name the kubelet cannot check, does not start under runAsNonRoot: true alone.
  const runsAsRoot = effectiveSecurity(c).runAsUser === 0 || (effectiveSecurity(c).runAsUser === undefined && (user === 'root' || user === 'name'));
  const edits: TextEditData[] = [];
  const inserts: YamlField[] = [];
  for (const f of missing) {
    // runAsNonRoot: true next to runAsUser: 0 stops the container from starting: leave that to a person.
    if (f === 'runAsNonRoot' && runsAsRoot) continue;
    const existing = entryOf(doc, c.securityContext, f)?.value;
    // The whole scalar is replaced: a quoted "false" is a string the API rejects for a boolean.
    if (isScalar(existing) && existing.range) edits.push({ start: existing.range[0], end: scalarEnd(existing) ?? existing.range[1], newText: WANTED[f] });
    else inserts.push([f, WANTED[f]]);
  }
  if (inserts.length > 0) {
    const added = insertAtPath(file.source, c.map, ['securityContext'], inserts);
    if (!added) return [];
    edits.push(...added);
  }
  if (edits.length === 0) return [];
  const title = `Set ${missing.filter((f) => f !== 'runAsNonRoot' || !runsAsRoot).map((f) => `${f}: ${WANTED[f]}`).join(', ')}`;
  return [{ title, edits, preferred: true, safe: false }];
}
