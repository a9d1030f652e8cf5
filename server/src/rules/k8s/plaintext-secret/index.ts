import { isScalar } from 'yaml';
import { defineK8sRule } from '../../../engine/rule';
import type { Fix } from '../../../core/finding';
import type { K8sFile } from '../../../languages/k8s/parser';
import { K8S_OBJECTS, k8sContainers, type Container, type EnvVar } from '../../../languages/k8s/model/workloads';
import { isKustomizePatch } from '../../../languages/k8s/model/resources';
import { mapAt, scalarText, spanOf } from '../../../languages/k8s/nodes';
import { replacePair } from '../../../languages/k8s/edits/yaml-edit';
import { secretKind } from './names';

/**
 * Flags secrets written in plain sight: a literal env `value:` (containers and
 * init containers) or a ConfigMap `data` key whose name says password, token,
 * secret, API key, private key or credentials — and any value that is a URL
 * with a password in it (`postgres://app:hunter2@db`) or a PEM private key. Names that only refer
 * to a secret (`PASSWORD_FILE`, `TOKEN_URL`, `SECRET_NAME`, `TOKEN_TTL`) and
 * values that cannot be one (empty, `true`, numbers, durations, paths,
 * `$(VAR)`, `${VAR}`, `<placeholder>`) are skipped; see names.ts.
 * Secret objects are not judged (holding secrets is their purpose).
 */
export const rule = defineK8sRule({
  id: 'k8s/plaintext-secret',
  meta: {
    title: 'Secret written in plain sight in a manifest',
    description: 'A password, token or key written as a literal env value or ConfigMap entry is readable by anyone who can read the manifest, the repository or the pod spec.',
    severity: 'warning',
    fixable: true,
    messages: {
      env: 'env {env} of container {name} holds a literal {what}: whoever reads the manifest or the pod spec has it',
      configMap: 'key {key} of ConfigMap {name} holds a literal {what}: ConfigMaps are readable more widely than Secrets',
    },
  },
  analyses: [K8S_OBJECTS],
  check(ctx, file) {
    if (isKustomizePatch(ctx.workspace, ctx.filePath)) return;
    for (const c of k8sContainers(file, { init: true })) {
      for (const e of c.env) {
        const text = scalarText(e.value);
        const what = text === undefined ? undefined : secretKind(e.name, text);
        const span = spanOf(e.value);
        if (!what || !span) continue;
        ctx.report({ span, messageId: 'env', data: { env: e.name, name: c.name ?? '(unnamed)', what }, fixes: () => secretRefFix(file, c, e) });
      }
    }
    for (const o of ctx.resultOf(K8S_OBJECTS)) {
      if (o.kind !== 'ConfigMap') continue;
      const data = mapAt(o.doc.doc, o.map, 'data');
      for (const pair of data?.items ?? []) {
        if (!isScalar(pair.key) || !isScalar(pair.value)) continue;
        const key = String(pair.key.value);
        const value = pair.value;
        const text = scalarText(value);
        // A multi-line value is a file (a config, a script): its key names the file, not a secret.
        const what = text === undefined ? undefined : secretKind(/[\r\n]/.test(text.trim()) ? '' : key, text);
        // A block scalar spans lines: its key is the place to point at.
        const span = spanOf(value.type === 'BLOCK_LITERAL' || value.type === 'BLOCK_FOLDED' ? pair.key : value);
        if (!what || !span) continue;
        ctx.report({ span, messageId: 'configMap', data: { name: o.name ?? '(unnamed)', key, what } });
      }
    }
  },
});

/** Replaces `value: ...` with a `valueFrom.secretKeyRef` skeleton. Unsafe: the Secret must exist first. */
function secretRefFix(file: K8sFile, c: Container, e: EnvVar): Fix[] {
  if (c.usesAliases || e.valueFrom || e.map.anchor) return [];
  const secret = `${c.workload.object.name ?? c.name ?? 'app'}-secrets`;
  const edit = replacePair(file.source, e.map, 'value', [['valueFrom', [['secretKeyRef', [['name', secret], ['key', e.name]]]]]]);
  return edit ? [{ title: `Read ${e.name} from Secret ${secret} (create the Secret first)`, edits: [edit], preferred: true, safe: false }] : [];
}
