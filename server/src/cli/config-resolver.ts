import * as path from 'node:path';
import { StaticConfigResolver, type ConfigResolver } from '../engine/config/config';
import { ConfigValidator, loadConfigFile, NearestConfigResolver } from '../engine/config/config-file';
import type { AnyRule } from '../engine/rule';
import { withRuleFlags, type RuleFlags } from './rule-flags';

/** The options that decide how configuration is found; plain data, so audit workers can rebuild the same resolver. */
export interface ConfigOptions {
  config?: string;
  inlineConfig: boolean;
  maxFileSize?: number;
  /** `--rule` and `--only`, over every config file. */
  ruleFlags?: RuleFlags;
}

/** `--config FILE` applies everywhere; otherwise the nearest `.shipshape.yaml` above each file, within its audit root. */
export function makeResolver(rules: readonly AnyRule[], roots: readonly string[], opts: ConfigOptions, cwd: string): ConfigResolver {
  const validator = new ConfigValidator(rules);
  if (opts.config) {
    const file = path.resolve(cwd, opts.config);
    const config = loadConfigFile(file, validator);
    return withRuleFlags(new StaticConfigResolver(rules, { ...config, maxFileSize: opts.maxFileSize ?? config.maxFileSize }, path.dirname(file), opts.inlineConfig), opts.ruleFlags);
  }
  return withRuleFlags(new NearestConfigResolver(rules, validator, { roots: [...new Set(roots)], inlineConfig: opts.inlineConfig, maxFileSize: opts.maxFileSize }), opts.ruleFlags);
}
