import * as path from 'node:path';
import { compileGlob, GlobError, type GlobMatcher } from '../../core/glob';
import type { SeverityOrOff } from '../../core/finding';
import { defaultOptions, type AnyRule } from '../rule';

/** How a user sets one rule: a severity, or a severity and options. */
export type RuleSetting = SeverityOrOff | { severity?: SeverityOrOff; options?: Record<string, unknown> };

/** The shape of `.shipshape.yaml` and of the settings hosts pass in. */
export interface ShipshapeConfig {
  rules?: Record<string, RuleSetting>;
  exclude?: string[];
  overrides?: { files: string | string[]; rules: Record<string, RuleSetting> }[];
  /** Bytes; larger files are skipped with a notice. */
  maxFileSize?: number;
  /** Milliseconds: the hard cap of one file's analysis time (its budget grows with its size up to this). */
  maxFileTime?: number;
}

export interface EffectiveRule {
  severity: SeverityOrOff;
  /** True when the user set the severity: it then wins over a finding's own severity. */
  severityConfigured?: boolean;
  options: Record<string, unknown>;
}

/** Everything the engine needs to know about configuration for one file. */
export interface FileConfig {
  readonly rules: ReadonlyMap<string, EffectiveRule>;
  /** False for `--no-inline-config`: `shipshape:ignore` directives are not honoured. */
  readonly inlineConfig: boolean;
  /** Hard cap of one file's analysis time in milliseconds (`maxFileTime`); the engine's default when unset. */
  readonly maxFileTime?: number;
}

export interface ConfigResolver {
  forFile(filePath: string): FileConfig;
  isExcluded(filePath: string): boolean;
  readonly maxFileSize: number;
  /** The size limit for one file when it differs by place (nearest config); default {@link maxFileSize}. */
  maxFileSizeFor?(filePath: string): number;
}

export const DEFAULT_MAX_FILE_SIZE = 5 * 1024 * 1024;
/** The largest `maxFileSize` accepted anywhere (config, settings, `--max-file-size`): 64 MiB. Numbers in configuration are finite and bounded. */
export const MAX_FILE_SIZE_CAP = 64 * 1024 * 1024;

/** Folders never audited. */
export const ALWAYS_SKIPPED_DIRS: ReadonlySet<string> = new Set(['vendor', 'node_modules', '.git']);

function applySetting(base: EffectiveRule, setting: RuleSetting | undefined): EffectiveRule {
  if (setting === undefined) return base;
  if (typeof setting === 'string') return { ...base, severity: setting, severityConfigured: true };
  return {
    severity: setting.severity ?? base.severity,
    severityConfigured: setting.severity !== undefined || base.severityConfigured,
    options: { ...base.options, ...(setting.options ?? {}) },
  };
}

/**
 * Resolves one {@link ShipshapeConfig} (relative to `baseDir`) against the
 * registry: defaults from each rule's meta, then `rules`, then matching
 * `overrides` in order. Loading and validating config files is config-file.ts's job.
 */
export class StaticConfigResolver implements ConfigResolver {
  private readonly excludeMatchers: GlobMatcher[];
  private readonly overrideMatchers: { match: GlobMatcher; rules: Record<string, RuleSetting> }[];
  private readonly base: Map<string, EffectiveRule>;
  readonly maxFileSize: number;

  constructor(
    private readonly registry: readonly AnyRule[],
    private readonly config: ShipshapeConfig = {},
    private readonly baseDir: string = process.cwd(),
    private readonly inlineConfig = true,
  ) {
    this.excludeMatchers = (config.exclude ?? []).map((g) => globsMatcher([g], false));
    this.overrideMatchers = (config.overrides ?? []).map((o) => ({
      match: globsMatcher(typeof o.files === 'string' ? [o.files] : o.files, true),
      rules: o.rules,
    }));
    this.maxFileSize = config.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
    this.base = new Map();
    for (const rule of registry) {
      const defaults: EffectiveRule = { severity: rule.meta.severity, options: defaultOptions(rule) };
      this.base.set(rule.id, applySetting(defaults, config.rules?.[rule.id]));
    }
  }

  private relative(filePath: string): string {
    return path.relative(this.baseDir, filePath).split(path.sep).join('/');
  }

  isExcluded(filePath: string): boolean {
    const rel = this.relative(filePath);
    return this.excludeMatchers.some((m) => m(rel));
  }

  forFile(filePath: string): FileConfig {
    const rel = this.relative(filePath);
    const matching = this.overrideMatchers.filter((o) => o.match(rel));
    const maxFileTime = this.config.maxFileTime;
    if (matching.length === 0) return { rules: this.base, inlineConfig: this.inlineConfig, maxFileTime };
    const rules = new Map(this.base);
    for (const o of matching) {
      for (const [id, setting] of Object.entries(o.rules)) {
        const current = rules.get(id);
        if (current) rules.set(id, applySetting(current, setting));
      }
    }
    return { rules, inlineConfig: this.inlineConfig, maxFileTime };
  }

  get ruleIds(): string[] {
    return this.registry.map((r) => r.id);
  }
}

/**
 * One matcher for several globs (linear-time, see glob.ts). A glob that does not
 * compile matches nothing: the config validator has reported it already, and
 * settings that bypass it must not stall or throw.
 */
function globsMatcher(globs: readonly string[], matchBase: boolean): GlobMatcher {
  const matchers: GlobMatcher[] = [];
  for (const g of globs) {
    try {
      matchers.push(compileGlob(g, { matchBase }));
    } catch (e) {
      if (!(e instanceof GlobError)) throw e;
    }
  }
  return (p) => matchers.some((m) => m(p));
}
