import Ajv, { type ValidateFunction } from 'ajv';
import type { SeverityOrOff } from '../../core/finding';
import { suggest } from '../../core/suggest';
import type { AnyRule } from '../rule';
import type { RuleSetting } from './config';
import { optionSchema } from './config-schema';

const SEVERITIES: readonly string[] = ['off', 'info', 'warning', 'error'];

/**
 * The one check of a rule setting against the registry's schema, for every
 * source that is not a config file: editor settings (`shipshape.rules`) and
 * command-line flags (`--rule id=severity`). `.shipshape.yaml` is validated
 * whole by config-file.ts against the schema built from the same
 * `optionSchema` per option (config-schema.ts), so every source accepts and
 * refuses the same values. Invalid parts are dropped, never passed to a rule,
 * and each is named in `problems`.
 */
export class RuleSettingValidator {
  private readonly ajv = new Ajv({ allErrors: true, strict: false });
  private readonly rules: ReadonlyMap<string, AnyRule>;
  /** Compiled option schemas of this registry, by `<rule id>#<option>`. */
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(registry: readonly AnyRule[]) {
    this.rules = new Map(registry.map((r) => [r.id, r]));
  }

  /** A severity name, or undefined with a problem. */
  severity(value: unknown, where: string, problems: string[]): SeverityOrOff | undefined {
    if (typeof value === 'string' && SEVERITIES.includes(value)) return value as SeverityOrOff;
    problems.push(`${where}: severity must be one of ${SEVERITIES.join(', ')}, not ${JSON.stringify(value)}`);
    return undefined;
  }

  /**
   * The valid part of a setting for rule `id` (`where` names it in problems:
   * `shipshape.rules["go/x"]`); undefined when nothing of it is valid or the rule is unknown.
   */
  check(id: string, value: unknown, where: string, problems: string[]): RuleSetting | undefined {
    const rule = this.rules.get(id);
    if (!rule) {
      problems.push(`${where}: unknown rule id "${id}"${suggest(id, [...this.rules.keys()])}`);
      return undefined;
    }
    if (typeof value === 'string') return this.severity(value, where, problems);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${where}: expected a severity (${SEVERITIES.join(', ')}) or { severity, options }`);
      return undefined;
    }
    const raw = value as Record<string, unknown>;
    for (const key of Object.keys(raw)) if (key !== 'severity' && key !== 'options') problems.push(`${where}: unknown key "${key}" (severity, options)`);
    const severity = raw.severity === undefined ? undefined : this.severity(raw.severity, `${where}.severity`, problems);
    const options = raw.options === undefined ? undefined : this.options(rule, raw.options, `${where}.options`, problems);
    if (severity === undefined && options === undefined) return undefined;
    return { ...(severity ? { severity } : {}), ...(options ? { options } : {}) };
  }

  private options(rule: AnyRule, value: unknown, where: string, problems: string[]): Record<string, unknown> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${where}: expected an object of options`);
      return undefined;
    }
    const schemas = rule.meta.options ?? {};
    const out: Record<string, unknown> = {};
    for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
      const schema = Object.hasOwn(schemas, name) ? schemas[name] : undefined;
      if (!schema) {
        problems.push(`${where}: unknown option "${name}" of ${rule.id}${suggest(name, Object.keys(schemas))}`);
        continue;
      }
      const key = `${rule.id}#${name}`;
      let validate = this.compiled.get(key);
      if (!validate) {
        validate = this.ajv.compile(optionSchema(schema));
        this.compiled.set(key, validate);
      }
      if (validate(v)) out[name] = v;
      else problems.push(`${where}.${name}: ${JSON.stringify(v)} ${validate.errors?.map((e) => e.message).join('; ') ?? 'is invalid'}`);
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
}
