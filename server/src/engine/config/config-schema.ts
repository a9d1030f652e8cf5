import type { AnyRule, OptionSchema } from '../rule';
import { DEFAULT_MAX_FILE_SIZE, MAX_FILE_SIZE_CAP } from './config';
import { DEFAULT_MAX_FILE_TIME_MS, MAX_FILE_TIME_CAP_MS } from '../budget';

/**
 * The JSON Schema of `.shipshape.yaml`, built from the registry so that rule
 * ids and each rule's options are checked (and completed in editors). The
 * shipped `schemas/shipshape.schema.json` and `docs/config.md` are generated
 * from it (`npm run config:gen`); a test fails when they are stale.
 */
export type JsonSchema = { [key: string]: unknown };

export const CONFIG_FILE_NAME = '.shipshape.yaml';
/** Config file names, in the order they are looked for in one folder (`.yml` is read like `.yaml`). */
export const CONFIG_FILE_NAMES: readonly string[] = [CONFIG_FILE_NAME, '.shipshape.yml'];
export const SCHEMA_ID = 'https://shipshape.dev/schemas/shipshape.schema.json';

const SEVERITY: JsonSchema = {
  type: 'string',
  enum: ['off', 'info', 'warning', 'error'],
  description: '`off` disables the rule; otherwise the severity of its findings (wins over the severity a rule picks per finding).',
};

export function optionSchema(option: OptionSchema): JsonSchema {
  const out: JsonSchema = { type: option.type, description: option.description, default: option.default };
  if (option.enum) out.enum = option.enum;
  if (option.minimum !== undefined) out.minimum = option.minimum;
  if (option.maximum !== undefined) out.maximum = option.maximum;
  if (option.pattern !== undefined) out.pattern = option.pattern;
  if (option.items) out.items = option.items;
  return out;
}

/** `<severity>` or `{ severity?, options? }` for one rule. */
export function ruleSettingSchema(rule: AnyRule): JsonSchema {
  const options = rule.meta.options ?? {};
  const optionProps = Object.fromEntries(Object.entries(options).map(([name, o]) => [name, optionSchema(o)]));
  return {
    description: `${rule.meta.title}. Default severity: ${rule.meta.severity}.`,
    default: rule.meta.severity,
    // Inline (not a $ref) so validation errors stay inside the anyOf branch they belong to.
    anyOf: [
      SEVERITY,
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          severity: { $ref: '#/$defs/severity' },
          options: { type: 'object', additionalProperties: false, properties: optionProps },
        },
      },
    ],
  };
}

export function buildConfigSchema(rules: readonly AnyRule[]): JsonSchema {
  const ruleProps = Object.fromEntries([...rules].sort((a, b) => a.id.localeCompare(b.id)).map((r) => [r.id, ruleSettingSchema(r)]));
  const rulesSchema: JsonSchema = {
    type: 'object',
    description: 'Rule settings by rule id: a severity, or `{ severity, options }`. Unknown ids are errors.',
    additionalProperties: false,
    properties: ruleProps,
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'Shipshape configuration (.shipshape.yaml)',
    description:
      'The nearest .shipshape.yaml above a file (within its workspace folder or audit root) configures it; editor settings fill what it leaves unset.',
    type: 'object',
    additionalProperties: false,
    properties: {
      rules: { $ref: '#/$defs/rules' },
      exclude: {
        type: 'array',
        description: 'Globs (relative to this file) of files and folders not to audit. `vendor/`, `node_modules/` and `.git/` are always skipped.',
        items: { type: 'string', minLength: 1 },
        default: [],
      },
      overrides: {
        type: 'array',
        description: 'Rule settings for paths matching `files` (globs relative to this file; a glob without `/` matches the base name). Later entries win.',
        default: [],
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['files', 'rules'],
          properties: {
            files: {
              description: 'A glob or a list of globs, e.g. `**/*_test.go` or `gen/**`.',
              anyOf: [{ type: 'string', minLength: 1 }, { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 }],
            },
            rules: { $ref: '#/$defs/rules' },
          },
        },
      },
      maxFileSize: {
        type: 'integer',
        minimum: 1,
        maximum: MAX_FILE_SIZE_CAP,
        description: 'Files larger than this many bytes are skipped with a notice (at most 64 MiB).',
        default: DEFAULT_MAX_FILE_SIZE,
      },
      maxFileTime: {
        type: 'integer',
        minimum: 100,
        maximum: MAX_FILE_TIME_CAP_MS,
        description: 'Hard cap, in milliseconds, of the time one file\'s analysis may take (its budget is 5 s plus 10 ms per KB up to this); a file over it is skipped with an over-budget notice. At most 600000.',
        default: DEFAULT_MAX_FILE_TIME_MS,
      },
    },
    $defs: { severity: SEVERITY, rules: rulesSchema },
  };
}
