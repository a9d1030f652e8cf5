import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { isMap, isPair, isScalar, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { SourceText } from '../../core/source-text';
import { buildConfigSchema, CONFIG_FILE_NAME, CONFIG_FILE_NAMES } from './config-schema';
import { StaticConfigResolver, type ConfigResolver, type FileConfig, type ShipshapeConfig } from './config';
import type { AnyRule } from '../rule';
import { suggest } from '../../core/suggest';
import { clampSpan } from '../span-guard';
import { duplicateKeys } from '../../languages/k8s/yaml-duplicates';
import { Confinement } from '../confine';
import { readRegularFile } from '../safe-read';
import { globProblem } from '../../core/glob';

/** `.shipshape.yaml` is read only up to this size. */
const CONFIG_FILE_CAP = 1024 * 1024;

/** One problem in a config file, at a 1-based line:column (UTF-16 columns, as editors count). */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** Offsets of the offending node, for hosts that show the error on the file (LSP). */
  start: number;
  end: number;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map((p) => `${p.file}:${p.line}:${p.column}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

export type LoadResult = { config: ShipshapeConfig; problems: [] } | { config: undefined; problems: ConfigProblem[] };

/**
 * Validates config text against the registry's schema; compiles the schema
 * once per registry, when the first configuration file is checked (compiling
 * costs about 0.2 s: a run with no configuration file never pays it).
 */
export class ConfigValidator {
  private compiled: ValidateFunction | undefined;

  constructor(private readonly rules: readonly AnyRule[]) {}

  private get validate(): ValidateFunction {
    this.compiled ??= new Ajv({ allErrors: true, verbose: true, strict: false }).compile(buildConfigSchema(this.rules));
    return this.compiled;
  }

  /** Parses and validates `.shipshape.yaml` text; `file` only labels the problems. */
  check(file: string, text: string): LoadResult {
    const source = new SourceText(text);
    const at = (rawStart: number, rawEnd: number, message: string): ConfigProblem => {
      const { start, end } = clampSpan({ start: rawStart, end: rawEnd }, text);
      return { file, ...source.lineCol(start), start, end, message };
    };
    // Duplicate keys are found in linear time (yaml's own check is quadratic in a map's size).
    const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
    const errors = [...doc.errors, ...duplicateKeys(doc)];
    if (errors.length > 0) {
      return { config: undefined, problems: errors.map((e) => at(e.pos[0], e.pos[1], `invalid YAML: ${clip(e.message.split('\n')[0], 120)}`)) };
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      return { config: undefined, problems: [at(0, 0, `invalid YAML: ${clip(e instanceof Error ? e.message : String(e), 120)}`)] };
    }
    if (value === null || value === undefined) return { config: {}, problems: [] }; // an empty file configures nothing
    if (this.validate(value)) {
      const globs = globProblems(doc, value, at);
      return globs.length === 0 ? { config: value, problems: [] } : { config: undefined, problems: globs };
    }
    const problems = relevantErrors(this.validate.errors ?? []).map((e) => {
      const { node, key } = locate(doc, e);
      const range = (key ?? node)?.range ?? [0, 0, 0];
      return at(range[0], range[1], describe(e));
    });
    problems.sort((a, b) => a.start - b.start || a.message.localeCompare(b.message));
    return { config: undefined, problems: dedupe(problems) };
  }
}

/** Globs that cannot be used (hostile or unsupported syntax, see glob.ts), each at its node. */
function globProblems(doc: Document.Parsed, config: ShipshapeConfig, at: (start: number, end: number, message: string) => ConfigProblem): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  const check = (glob: unknown, pointer: string): void => {
    const why = globProblem(String(glob));
    if (why === undefined) return;
    const range = nodeAt(doc, pointer)?.range ?? [0, 0, 0];
    out.push(at(range[0], range[1], `"${pointerToPath(pointer).join('.')}": ${token(glob)} is not a usable glob: ${why}`));
  };
  (config.exclude ?? []).forEach((g, i) => { check(g, `/exclude/${i}`); });
  (config.overrides ?? []).forEach((o, i) => {
    if (typeof o.files === 'string') check(o.files, `/overrides/${i}/files`);
    else o.files.forEach((g, j) => { check(g, `/overrides/${i}/files/${j}`); });
  });
  return out;
}

/** Reads and validates a config file; throws {@link ConfigError} when it is unreadable or invalid. */
export function loadConfigFile(file: string, validator: ConfigValidator, confinement?: Confinement): ShipshapeConfig {
  const fail = (message: string): ConfigError => new ConfigError([{ file, line: 1, column: 1, start: 0, end: 0, message }]);
  // A config symlinked to outside the roots is not read: its content would be echoed in errors.
  if (confinement && !confinement.contains(file)) throw fail('config file is a symlink to a file outside the workspace; not read');
  const read = readRegularFile(file, CONFIG_FILE_CAP);
  if (!('bytes' in read)) {
    const code = read.message;
    const message = read.kind === 'not-found' ? 'config file not found'
      : read.kind === 'too-large' ? `config file is too large (${read.message}); not read`
      : read.kind === 'not-regular' ? (read.message === 'a folder, not a file' ? 'config file is a folder, not a file' : `config file is ${read.message}; not read`)
      : code === 'EACCES' ? 'config file is not readable (permission denied)' : `cannot read config file (${code})`;
    throw fail(message);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(read.bytes);
  } catch {
    throw fail('config file is not valid UTF-8 text');
  }
  const result = validator.check(file, text);
  if (result.config === undefined) throw new ConfigError(result.problems);
  return result.config;
}

/**
 * Drops the errors of `anyOf` branches whose type does not match the value
 * (a string setting is not "an object with wrong keys"), so each problem is
 * reported once, in the terms of the branch the user meant.
 */
function relevantErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  const dropped = new Set<ErrorObject>();
  for (const anyOf of errors.filter((e) => e.keyword === 'anyOf')) {
    const branchErrors = errors.filter((e) => e !== anyOf && e.schemaPath.startsWith(`${anyOf.schemaPath}/`));
    const byBranch = new Map<string, ErrorObject[]>();
    for (const e of branchErrors) {
      const branch = e.schemaPath.slice(anyOf.schemaPath.length + 1).split('/')[0];
      byBranch.set(branch, [...(byBranch.get(branch) ?? []), e]);
    }
    let kept = 0;
    for (const list of byBranch.values()) {
      const wrongType = list.some((e) => e.keyword === 'type' && e.instancePath === anyOf.instancePath);
      if (wrongType && byBranch.size > 1) list.forEach((e) => dropped.add(e));
      else kept += list.length;
    }
    if (kept > 0) dropped.add(anyOf);
  }
  return errors.filter((e) => !dropped.has(e));
}

function describe(e: ErrorObject): string {
  const where = e.instancePath === '' ? 'the config' : `"${pointerToPath(e.instancePath).join('.')}"`;
  switch (e.keyword) {
    case 'additionalProperty':
    case 'additionalProperties': {
      const name = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
      const inRules = e.instancePath.endsWith('/rules') || e.instancePath === '/rules';
      const what = inRules ? 'unknown rule id' : e.instancePath.endsWith('/options') ? 'unknown option' : 'unknown key';
      return `${what} "${name}" in ${where}${suggest(name, known)}`;
    }
    case 'enum':
      return `${where} must be one of ${((e.params as { allowedValues?: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}, not ${token(e.data)}`;
    case 'anyOf':
      return `${where} has an invalid value ${token(e.data)}`;
    default:
      return `${where} ${e.message ?? 'is invalid'}`;
  }
}

/** The offending value as a short token: an error never echoes a file's content beyond it. */
function token(v: unknown): string {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- JSON.stringify returns undefined for undefined and functions
  return clip(JSON.stringify(v) ?? String(v), 40);
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function pointerToPath(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The YAML node an ajv error is about (and, for unknown keys, the key node itself). */
function locate(doc: Document.Parsed, e: ErrorObject): { node?: YamlNode; key?: YamlNode } {
  const found = nodeAt(doc, e.instancePath);
  if (e.keyword === 'additionalProperties' && isMap(found)) {
    const name = (e.params as { additionalProperty: string }).additionalProperty;
    const pair = found.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === name);
    if (pair && isScalar(pair.key)) return { node: found, key: pair.key };
  }
  return { node: found };
}

/** The YAML node at a JSON pointer, or the deepest one on its way. */
function nodeAt(doc: Document.Parsed, pointer: string): YamlNode | undefined {
  let node: unknown = doc.contents;
  for (const seg of pointerToPath(pointer)) {
    const next = childOf(node, seg);
    if (next === undefined) break;
    node = next;
  }
  return node as YamlNode | undefined;
}

function childOf(node: unknown, seg: string): unknown {
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === seg);
    return pair?.value ?? undefined;
  }
  if (node && typeof node === 'object' && 'items' in node && Array.isArray((node as { items: unknown[] }).items)) {
    return (node as { items: unknown[] }).items[Number(seg)];
  }
  return undefined;
}

function dedupe(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const k = `${p.start}:${p.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export interface NearestConfigOptions {
  /** Workspace folders / audit roots: config lookup never climbs above the root holding a file. */
  roots: readonly string[];
  /** Settings beneath every config file (VS Code settings); a config file's values win. */
  defaults?: ShipshapeConfig;
  inlineConfig?: boolean;
  /** Overrides every config's `maxFileSize` (CLI `--max-file-size`). */
  maxFileSize?: number;
}

/**
 * Nearest-file-wins resolution: each file is configured by the closest
 * `.shipshape.yaml` in its directory or above, within its root. Config files
 * are loaded once; an invalid one throws {@link ConfigError} (hosts decide:
 * the CLI exits 2, the server keeps the last valid one).
 */
export class NearestConfigResolver implements ConfigResolver {
  private readonly byDir = new Map<string, StaticConfigResolver>();
  private readonly byConfigFile = new Map<string, StaticConfigResolver>();
  private readonly fallback: StaticConfigResolver;
  private readonly confinement: Confinement;
  /** Nearest config file per folder: the walk asks for every folder, so a deep tree stays linear. */
  private readonly nearestByDir = new Map<string, string | undefined>();

  constructor(
    private readonly rules: readonly AnyRule[],
    private readonly validator: ConfigValidator,
    private readonly options: NearestConfigOptions,
  ) {
    this.fallback = this.resolverFor(options.defaults ?? {}, options.roots[0] ?? process.cwd());
    this.confinement = new Confinement(options.roots);
  }

  get maxFileSize(): number {
    return this.options.maxFileSize ?? this.fallback.maxFileSize;
  }

  maxFileSizeFor(filePath: string): number {
    return this.options.maxFileSize ?? this.forDir(path.dirname(filePath)).maxFileSize;
  }

  /** Path of the config file that configures `filePath`, if any. */
  configFileFor(filePath: string): string | undefined {
    const root = this.rootOf(filePath);
    if (root === undefined) return undefined;
    return this.nearestIn(path.dirname(filePath), root);
  }

  /** Iterative, up to the first folder already known: a 10,000-level tree neither overflows the stack nor goes quadratic. */
  private nearestIn(dir: string, root: string): string | undefined {
    const keyOf = (d: string): string => `${root}\0${d}`;
    const chain: string[] = [];
    for (let d = dir; !this.nearestByDir.has(keyOf(d)); d = path.dirname(d)) {
      chain.push(d);
      if (d === root || path.dirname(d) === d) break;
    }
    for (const d of chain.reverse()) this.nearestByDir.set(keyOf(d), this.ownOrParent(d, root));
    return this.nearestByDir.get(keyOf(dir));
  }

  /** `dir`'s own config file, else its parent's (already known: {@link nearestIn} fills folders top-down). */
  private ownOrParent(dir: string, root: string): string | undefined {
    const found = CONFIG_FILE_NAMES.map((name) => path.join(dir, name)).filter((f) => fs.existsSync(f));
    if (found.length > 1) {
      throw new ConfigError([{ file: found[1], line: 1, column: 1, start: 0, end: 0, message: `both ${found.map((f) => path.basename(f)).join(' and ')} are in this folder; keep one` }]);
    }
    if (found.length === 1) return found[0];
    if (dir === root || path.dirname(dir) === dir) return undefined;
    return this.nearestByDir.get(`${root}\0${path.dirname(dir)}`);
  }

  forFile(filePath: string): FileConfig {
    return this.forDir(path.dirname(filePath)).forFile(filePath);
  }

  isExcluded(filePath: string): boolean {
    return this.forDir(path.dirname(filePath)).isExcluded(filePath);
  }

  private forDir(dir: string): StaticConfigResolver {
    const cached = this.byDir.get(dir);
    if (cached) return cached;
    const configFile = this.configFileFor(path.join(dir, CONFIG_FILE_NAME));
    let resolver = this.fallback;
    if (configFile) {
      resolver = this.byConfigFile.get(configFile) ?? this.load(configFile);
      this.byConfigFile.set(configFile, resolver);
    }
    this.byDir.set(dir, resolver);
    return resolver;
  }

  private load(configFile: string): StaticConfigResolver {
    const config = loadConfigFile(configFile, this.validator, this.confinement);
    return this.resolverFor(mergeConfigs(this.options.defaults ?? {}, config), path.dirname(configFile));
  }

  private resolverFor(config: ShipshapeConfig, baseDir: string): StaticConfigResolver {
    return new StaticConfigResolver(this.rules, config, baseDir, this.options.inlineConfig ?? true);
  }

  private rootOf(filePath: string): string | undefined {
    let best: string | undefined;
    for (const r of this.options.roots) {
      const rel = path.relative(r, filePath);
      if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
      if (best === undefined || r.length > best.length) best = r;
    }
    return best;
  }
}

/** `over` wins key by key; rule settings merge per rule; overrides concatenate (the file's come last, so they win). */
export function mergeConfigs(under: ShipshapeConfig, over: ShipshapeConfig): ShipshapeConfig {
  return {
    rules: { ...(under.rules ?? {}), ...(over.rules ?? {}) },
    exclude: [...(under.exclude ?? []), ...(over.exclude ?? [])],
    overrides: [...(under.overrides ?? []), ...(over.overrides ?? [])],
    maxFileSize: over.maxFileSize ?? under.maxFileSize,
    maxFileTime: over.maxFileTime ?? under.maxFileTime,
  };
}
