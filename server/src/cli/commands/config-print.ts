import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { ConfigValidator, NearestConfigResolver } from '../../engine/config/config-file';
import type { AnyRule } from '../../engine/rule';
import { makeResolver } from '../config-resolver';
import { relativePath } from '../report';
import { auditRoot } from '../audit-finish';
import type { ConfigOptions } from '../config-resolver';

/**
 * `shipshape config print <file>`: the configuration that applies to one file
 * — which config file, whether it is excluded, the size limit, and every rule's
 * severity and options after defaults, the config file, overrides and flags.
 */
export function printConfig(rules: readonly AnyRule[], file: string, opts: ConfigOptions, cwd: string, format: 'yaml' | 'json'): string {
  const abs = path.resolve(cwd, file);
  const roots = [auditRoot(cwd, abs)];
  const resolver = makeResolver(rules, roots, opts, cwd);
  const configFile = opts.config
    ? path.resolve(cwd, opts.config)
    : new NearestConfigResolver(rules, new ConfigValidator(rules), { roots, inlineConfig: opts.inlineConfig }).configFileFor(abs);
  const effective = resolver.forFile(abs);
  const ruleTable: Record<string, { severity: string; options?: Record<string, unknown> }> = {};
  for (const id of [...effective.rules.keys()].sort()) {
    const r = effective.rules.get(id);
    if (!r) continue;
    ruleTable[id] = Object.keys(r.options).length ? { severity: r.severity, options: r.options } : { severity: r.severity };
  }
  const out = {
    file: relativePath(cwd, abs),
    exists: fs.existsSync(abs),
    configFile: configFile ? relativePath(cwd, configFile) : null,
    excluded: resolver.isExcluded(abs),
    maxFileSize: resolver.maxFileSizeFor?.(abs) ?? resolver.maxFileSize,
    inlineConfig: effective.inlineConfig,
    rules: ruleTable,
  };
  return format === 'json' ? `${JSON.stringify(out, null, 2)}\n` : stringify(out, { lineWidth: 0 });
}
