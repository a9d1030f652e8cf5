import type { ConfigResolver, EffectiveRule, FileConfig } from '../engine/config/config';
import type { SeverityOrOff } from '../core/finding';
import type { AnyRule } from '../engine/rule';
import { suggest } from '../core/suggest';
import { UsageError } from './outputs';
import { RuleSettingValidator } from '../engine/config/rule-settings';

/** `--rule id=severity` and `--only id,id`: plain data, so audit workers apply the same. */
export interface RuleFlags {
  severities: Record<string, SeverityOrOff>;
  /** When set, every other rule is off. */
  only?: string[];
}

/** Parses the repeated `--rule` and `--only` values against the registry; throws {@link UsageError}. */
export function parseRuleFlags(rules: readonly AnyRule[], ruleValues: readonly string[], onlyValues: readonly string[]): RuleFlags | undefined {
  if (ruleValues.length === 0 && onlyValues.length === 0) return undefined;
  const ids = rules.map((r) => r.id);
  const validator = new RuleSettingValidator(rules);
  const check = (id: string, flag: string): string => {
    if (!ids.includes(id)) throw new UsageError(`unknown rule "${id}" in ${flag}${suggest(id, ids)} (shipshape rules lists them)`);
    return id;
  };
  const severities: Record<string, SeverityOrOff> = {};
  for (const value of ruleValues) {
    const eq = value.lastIndexOf('=');
    if (eq < 1) throw new UsageError(`--rule ${value}: expected rule-id=severity, e.g. --rule go/unclosed-body=error`);
    const id = check(value.slice(0, eq), `--rule ${value}`);
    const problems: string[] = [];
    const severity = validator.severity(value.slice(eq + 1), `--rule ${value}`, problems);
    if (severity === undefined) throw new UsageError(problems.join('; '));
    severities[id] = severity;
  }
  const only = onlyValues.length ? onlyValues.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean).map((id) => check(id, '--only')) : undefined;
  return { severities, only };
}

/** The resolver with the command line's rule settings on top of every config file (they win, as ESLint's `--rule` does). */
export function withRuleFlags(base: ConfigResolver, flags: RuleFlags | undefined): ConfigResolver {
  if (flags === undefined) return base;
  const cache = new WeakMap<ReadonlyMap<string, EffectiveRule>, ReadonlyMap<string, EffectiveRule>>();
  const apply = (rules: ReadonlyMap<string, EffectiveRule>): ReadonlyMap<string, EffectiveRule> => {
    const hit = cache.get(rules);
    if (hit) return hit;
    const out = new Map(rules);
    for (const [id, rule] of out) {
      const set = flags.severities[id] as SeverityOrOff | undefined;
      if (set !== undefined) out.set(id, { ...rule, severity: set, severityConfigured: true });
      else if (flags.only && !flags.only.includes(id)) out.set(id, { ...rule, severity: 'off' });
    }
    cache.set(rules, out);
    return out;
  };
  return {
    get maxFileSize() {
      return base.maxFileSize;
    },
    maxFileSizeFor: (file) => base.maxFileSizeFor?.(file) ?? base.maxFileSize,
    isExcluded: (file) => base.isExcluded(file),
    forFile: (file): FileConfig => {
      const config = base.forFile(file);
      return { ...config, rules: apply(config.rules) };
    },
  };
}
