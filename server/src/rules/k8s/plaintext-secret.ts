import { isScalar, type Scalar } from 'yaml';
import { defineK8sRule } from '../../engine/rule';
import type { Fix } from '../../engine/finding';
import type { K8sFile } from '../../parsers/k8s';
import { K8S_OBJECTS, k8sContainers, type Container, type EnvVar } from '../../parsers/k8s-workloads';
import { isKustomizePatch } from '../../parsers/k8s-resources';
import { mapAt, scalarText, spanOf } from '../../parsers/k8s-nodes';
import { replacePair } from '../../parsers/yaml-edit';

/**
 * Flags secrets written in plain sight: a literal env `value:` (containers and
 * init containers) or a ConfigMap `data` key whose name says password, token,
 * secret, API key, private key or credentials — and any value that is a URL
 * with a password in it (`postgres://app:hunter2@db`) or a PEM private key. Names that only refer
 * to a secret (`PASSWORD_FILE`, `TOKEN_URL`, `SECRET_NAME`, `TOKEN_TTL`) and
 * values that cannot be one (empty, `true`, numbers, durations, paths,
 * `$(VAR)`, `${VAR}`, `<placeholder>`) are skipped; see the word lists below.
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
        const value = pair.value as Scalar;
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

/*
 * Which names and values are secrets. A name is split into words
 * (`DB_PASSWORD`, `dbPassword`, `db-password` → db, password); it names a
 * secret when one of its words does and no later word says it only refers to
 * one (`PASSWORD_FILE`, `TOKEN_URL`, `SECRET_NAME`, `TOKEN_TTL`).
 */

/** Words that name a secret, and what the message calls it. */
const SECRET_WORDS: ReadonlyMap<string, string> = new Map([
  ['password', 'password'], ['passwd', 'password'], ['pwd', 'password'], ['passphrase', 'password'],
  ['secret', 'secret'], ['token', 'token'], ['apikey', 'API key'],
  ['credentials', 'credentials'], ['credential', 'credentials'], ['creds', 'credentials'],
]);

/** Words before `key` that make it a secret key (`API_KEY`, `PRIVATE_KEY`, `SECRET_ACCESS_KEY`). */
const KEY_QUALIFIERS: ReadonlyMap<string, string> = new Map([
  ['api', 'API key'], ['private', 'private key'], ['access', 'access key'], ['signing', 'secret'], ['encryption', 'secret'], ['master', 'secret'],
]);

/** Words after the secret word that make the name a reference, a setting or a pointer, not the secret itself. */
const META_WORDS = new Set([
  'file', 'files', 'path', 'dir', 'directory', 'name', 'names', 'ref', 'url', 'uri', 'endpoint', 'host', 'location', 'mount',
  'id', 'type', 'header', 'length', 'len', 'min', 'max', 'ttl', 'expiry', 'expiration', 'expires', 'timeout', 'duration',
  'lifetime', 'seconds', 'minutes', 'hours', 'days', 'interval', 'period', 'enabled', 'enable', 'disabled', 'required',
  'policy', 'mode', 'provider', 'source', 'store', 'format', 'version', 'count', 'size', 'field', 'env', 'var', 'prefix',
  'suffix', 'algorithm', 'issuer', 'audience', 'scope', 'scopes', 'kind', 'namespace', 'cache', 'hash', 'sha', 'salt',
  'rounds', 'strength', 'rotation', 'refresh', 'secretname', 'secretref', 'vault', 'manager', 'command', 'cmd', 'script',
]);

/** A URL with a password in its user info: `scheme://user:password@host`. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:([^/\s@]+)@/i;

/** What kind of secret `value` under `name` is, or undefined when it is none. */
function secretKind(name: string, value: string): string | undefined {
  const v = value.trim();
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(v)) return 'private key';
  const inUrl = URL_WITH_PASSWORD.exec(v);
  if (inUrl && !isPlaceholder(inUrl[1])) return 'password in a URL';
  // A value that repeats its own name (`HF_TOKEN: HF_TOKEN`) is a placeholder a script replaces.
  if (!canBeSecret(v) || v.toLowerCase() === name.toLowerCase()) return undefined;
  return secretName(name);
}

/** What the name calls its value when that is a secret (`password`, `API key`), else undefined. */
function secretName(name: string): string | undefined {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/).filter((w) => w !== '');
  let found: string | undefined;
  let at = -1;
  words.forEach((w, i) => {
    const qualified = w === 'key' && i > 0 ? KEY_QUALIFIERS.get(words[i - 1]) : undefined;
    const kind = SECRET_WORDS.get(w) ?? qualified ?? (w.endsWith('password') ? 'password' : undefined);
    // The first secret word names it (AWS_SECRET_ACCESS_KEY is a secret); the last one is where pointers start.
    if (kind) [found, at] = [found ?? kind, i];
  });
  if (found === undefined || words.slice(at + 1).some((w) => META_WORDS.has(w))) return undefined;
  return found;
}

/** Values that cannot be a secret: empty, booleans, numbers, durations, paths, references and placeholders. */
function canBeSecret(v: string): boolean {
  if (v.length < 4 || isPlaceholder(v)) return false;
  if (/^(true|false|yes|no|on|off|null|none|disabled|enabled)$/i.test(v)) return false;
  if (/^\d+(\.\d+)?([smhd]|ms)?$/.test(v)) return false;
  if (/^(\/|\.\/|~\/)[^\s]*$/.test(v) || /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(v)) return false;
  return true;
}

/** `$(VAR)` (Kubernetes expands it), `${VAR}` and `{{ }}` (templating fills it in), `<your-token>`, `YOUR_API_KEY`, `changeme`. */
function isPlaceholder(v: string): boolean {
  return /^\$\([A-Za-z_][\w.-]*\)$/.test(v) || /\$\{[^}]*\}/.test(v) || /\{\{.*\}\}/.test(v) || /^<[^>]*>$/.test(v) ||
    /^(your|replace|insert|enter)[-_ ]?/i.test(v) || /^(changeme|change[-_]me|replace[-_]?me|todo|tbd)$/i.test(v);
}
