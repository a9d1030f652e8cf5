import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';

/**
 * Where a rule's documentation is: the ONE place that derives docs links from
 * package.json (style.md: "the docs link is derived from id ... one place
 * defines the base URL"). Both hosts use it: the language server for
 * `codeDescription.href` and the offline preview, the CLI for SARIF `helpUri`
 * and `help.markdown`. No host-specific imports here.
 */

/** The package's own files (docs pages, package.json), found from wherever this code runs: dist/, server/src/ or a test bundle. */
export interface PackageInfo {
  root: string;
  version: string;
  /** `repository` URL of package.json (or `homepage` without its `#fragment`), https, without `git+` and `.git`; undefined when it names none. */
  repositoryUrl?: string;
}

interface Manifest {
  name?: string;
  version?: string;
  homepage?: string;
  repository?: string | { url?: string };
}

export function packageInfo(from: string = __dirname): PackageInfo {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
      if (pkg.name === 'shipshape') return { root: dir, version: pkg.version ?? '0.0.0', repositoryUrl: repositoryUrlOf(pkg) };
    }
    if (path.dirname(dir) === dir) return { root: path.resolve(from, '..'), version: '0.0.0' };
  }
}

/**
 * Shipshape's version and a stamp of the code running it (size and mtime of
 * the bundle holding this module): what a cache of findings is stamped with, so
 * that a rebuilt or reinstalled Shipshape of the same version never trusts
 * findings an older build wrote.
 */
export function codeIdentity(info: PackageInfo = packageInfo()): string {
  try {
    const stat = fs.statSync(__filename);
    return `${info.version}+${stat.size.toString(36)}.${Math.floor(stat.mtimeMs).toString(36)}`;
  } catch {
    return info.version;
  }
}

/** `git+https://github.com/o/r.git`, `github:o/r`, `o/r` or a homepage `https://github.com/o/r#readme` → `https://github.com/o/r`. */
export function repositoryUrlOf(pkg: Manifest): string | undefined {
  const raw = typeof pkg.repository === 'string' ? pkg.repository : pkg.repository?.url;
  if (raw) {
    const shorthand = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(raw);
    if (shorthand) return `https://github.com/${shorthand[1]}`;
    return raw.replace(/^git\+/, '').replace(/^git:\/\//, 'https://').replace(/^ssh:\/\/git@/, 'https://').replace(/\.git$/, '').replace(/\/$/, '');
  }
  if (pkg.homepage && /^https:\/\//.test(pkg.homepage)) return pkg.homepage.replace(/#.*$/, '').replace(/\/$/, '');
  return undefined;
}

/** Base of the rule pages of the released version: `<repository>/blob/v<version>/docs/rules/`; undefined without a repository. */
export function docsBaseUrl(info: PackageInfo): string | undefined {
  return info.repositoryUrl ? `${info.repositoryUrl}/blob/v${info.version}/docs/rules/` : undefined;
}

/** The https page of a rule for the released version, derived from its id. */
export function ruleDocsUrl(info: PackageInfo, ruleId: string): string | undefined {
  const base = docsBaseUrl(info);
  return base ? `${base}${ruleId}.md` : undefined;
}

/** The bundled page of a rule (`<root>/docs/rules/<id>.md`). */
export function ruleDocsFile(info: PackageInfo, ruleId: string): string {
  return path.join(info.root, 'docs', 'rules', ...ruleId.split('/')) + '.md';
}

/** Where a host links a rule's docs: the bundled pages (offline preview) and, when package.json names a repository, the released https pages. */
export interface RuleDocsLinks {
  /** Folder of the bundled `docs/rules` pages. */
  root: string;
  /** `https://.../blob/v<version>/docs/rules/`, or undefined. */
  webBase?: string;
}

export function ruleDocsLinks(info: PackageInfo = packageInfo(), root?: string): RuleDocsLinks {
  return { root: root ?? path.join(info.root, 'docs', 'rules'), webBase: docsBaseUrl(info) };
}

/** `file://` URI of the bundled page: the editor's offline "Show docs" preview. */
export function bundledDocsUri(links: RuleDocsLinks, ruleId: string): string {
  return pathToFileURL(path.join(links.root, ...ruleId.split('/')) + '.md').href;
}

/** The link a diagnostic carries: the released https page, or the bundled page when package.json names no repository. */
export function ruleDocsHref(links: RuleDocsLinks, ruleId: string): string {
  return links.webBase ? `${links.webBase}${ruleId}.md` : bundledDocsUri(links, ruleId);
}

/** A rule's docs page split into its front matter and the markdown after it. */
export interface RulePage {
  /** The page without its YAML front matter (what SARIF `help.markdown` carries). */
  markdown: string;
  title?: string;
  /** GitHub code scanning's `security-severity` (CVSS-like "0.0"–"10.0"), for security-relevant rules. */
  securitySeverity?: string;
  /** Extra SARIF tags (`security`, `external/cwe/cwe-400`). */
  tags: string[];
}

export function parseRulePage(text: string): RulePage {
  const fm = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  if (!fm) return { markdown: text, tags: [] };
  const data: unknown = parseYaml(fm[1]);
  const meta = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  const severity = meta['security-severity'];
  const tags = Array.isArray(meta.tags) ? meta.tags.filter((t): t is string => typeof t === 'string') : [];
  return {
    markdown: text.slice(fm[0].length).replace(/^(\r?\n)+/, ''),
    ...(typeof meta.title === 'string' ? { title: meta.title } : {}),
    ...(typeof severity === 'number' || typeof severity === 'string' ? { securitySeverity: Number(severity).toFixed(1) } : {}),
    tags,
  };
}

/** The rule's bundled docs page, parsed; undefined when missing. */
export function readRulePage(info: PackageInfo, ruleId: string): RulePage | undefined {
  try {
    return parseRulePage(fs.readFileSync(ruleDocsFile(info, ruleId), 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * `shipshape.showRuleDocs` opens only Shipshape's own docs pages: the bundled
 * page of a known rule (`file://.../docs/rules/<id>.md`) or its released https
 * page. Any other URI (`file:///etc/shadow`, `command:`, another site) is
 * refused: the command's argument comes from the client and can be forged.
 */
export function isOwnDocsUri(uri: string, links: RuleDocsLinks, ruleIds: Iterable<string>): boolean {
  for (const id of ruleIds) {
    if (uri === bundledDocsUri(links, id)) return true;
    if (links.webBase !== undefined && uri === `${links.webBase}${id}.md`) return true;
  }
  return false;
}
