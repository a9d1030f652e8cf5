import { DEFAULT_MAX_FILE_SIZE, MAX_FILE_SIZE_CAP, type ConfigResolver, type RuleSetting, type ShipshapeConfig } from '../engine/config/config';
import type { AnyRule } from '../engine/rule';
import type { RuleSettingValidator } from '../engine/config/rule-settings';

/** The `shipshape.*` settings, normalised: what the editor sent, with defaults and junk dropped. */
export interface ServerSettings {
  enable: boolean;
  run: 'onType' | 'onSave';
  trace: 'off' | 'messages' | 'verbose';
  /** The same config type the CLI builds from flags and `.shipshape.yaml`. */
  config: ShipshapeConfig;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  enable: true,
  run: 'onType',
  trace: 'off',
  config: { rules: {}, exclude: [], maxFileSize: DEFAULT_MAX_FILE_SIZE },
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The one place editor settings become Shipshape config. Accepts whatever
 * `workspace/configuration` returned for the `shipshape` section (possibly
 * null or partial) and never throws; unknown values fall back to defaults,
 * and each dropped value is named in `problems` for the log.
 */
export function normalizeSettings(raw: unknown, validator: RuleSettingValidator): { settings: ServerSettings; problems: string[] } {
  const problems: string[] = [];
  const s = isRecord(raw) ? raw : {};
  const enable = typeof s.enable === 'boolean' ? s.enable : DEFAULT_SETTINGS.enable;
  const run = s.run === 'onSave' || s.run === 'onType' ? s.run : DEFAULT_SETTINGS.run;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a raw client setting of any type, shown as String() prints it
  if (s.run !== undefined && s.run !== run) problems.push(`shipshape.run: "${String(s.run)}" is not onType or onSave`);
  const traceRaw = isRecord(s.trace) ? s.trace.server : undefined;
  const trace = traceRaw === 'messages' || traceRaw === 'verbose' || traceRaw === 'off' ? traceRaw : DEFAULT_SETTINGS.trace;
  const rules: Record<string, RuleSetting> = {};
  if (isRecord(s.rules)) {
    for (const [id, value] of Object.entries(s.rules)) {
      // Checked against the rule's option schema, as `.shipshape.yaml` is: a bad value is dropped and named, never handed to a rule.
      const setting = validator.check(id, value, `shipshape.rules["${id}"]`, problems);
      if (setting !== undefined) rules[id] = setting;
    }
  }
  const exclude = Array.isArray(s.exclude) ? s.exclude.filter((g): g is string => typeof g === 'string' && g.trim() !== '') : [];
  const size = s.maxFileSize;
  const maxFileSize = typeof size === 'number' && Number.isFinite(size) && size >= 1 && size <= MAX_FILE_SIZE_CAP ? Math.floor(size) : DEFAULT_MAX_FILE_SIZE;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a raw client setting of any type, shown as String() prints it
  if (size !== undefined && size !== maxFileSize) problems.push(`shipshape.maxFileSize: ${String(size)} is not a number of bytes from 1 to ${MAX_FILE_SIZE_CAP} (64 MiB)`);
  return { settings: { enable, run, trace, config: { rules, exclude, maxFileSize } }, problems };
}

/**
 * Builds the config for one workspace folder from its settings; the server's
 * default loads the nearest `.shipshape.yaml` (config-provider.ts).
 */
export type ConfigProvider = (registry: readonly AnyRule[], settings: ServerSettings, folderPath: string) => ConfigResolver;
