import { ConfigError, ConfigValidator, NearestConfigResolver, type ConfigProblem } from '../engine/config/config-file';
import { StaticConfigResolver, type ConfigResolver, type FileConfig } from '../engine/config/config';
import type { AnyRule } from '../engine/rule';
import type { ConfigProvider } from './settings';

/**
 * Settings plus `.shipshape.yaml`: the nearest config file above a file (within
 * its workspace folder) wins, VS Code settings fill what it leaves unset. An
 * invalid config file is reported through `onProblems` and, until it is fixed,
 * its folder runs on the settings alone — never on half a config.
 */
export function nearestConfigProvider(registry: readonly AnyRule[], onProblems: (problems: readonly ConfigProblem[]) => void): ConfigProvider {
  const validator = new ConfigValidator(registry);
  return (rules, settings, folder) => {
    const nearest = new NearestConfigResolver(rules, validator, { roots: [folder], defaults: settings.config });
    const fallback = new StaticConfigResolver(rules, settings.config, folder);
    return new GuardedConfig(nearest, fallback, onProblems);
  };
}

class GuardedConfig implements ConfigResolver {
  constructor(
    private readonly primary: NearestConfigResolver,
    private readonly fallback: ConfigResolver,
    private readonly onProblems: (problems: readonly ConfigProblem[]) => void,
  ) {}

  private guard<T>(f: (r: ConfigResolver) => T): T {
    try {
      return f(this.primary);
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      this.onProblems(e.problems);
      return f(this.fallback);
    }
  }

  forFile(filePath: string): FileConfig {
    return this.guard((r) => r.forFile(filePath));
  }

  isExcluded(filePath: string): boolean {
    return this.guard((r) => r.isExcluded(filePath));
  }

  get maxFileSize(): number {
    return this.guard((r) => r.maxFileSize);
  }

  maxFileSizeFor(filePath: string): number {
    return this.guard((r) => r.maxFileSizeFor?.(filePath) ?? r.maxFileSize);
  }
}
