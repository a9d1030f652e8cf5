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
export function secretKind(name: string, value: string): string | undefined {
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
