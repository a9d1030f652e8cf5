import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Report } from './report';
import { formatText } from './format/text';
import { formatJson } from './format/json';
import { formatSarif } from './format/sarif';
import { formatCompact } from './format/compact';
import { formatGithub } from './format/github';
import { formatGitlab } from './format/gitlab';
import { formatJunit } from './format/junit';
import { formatCheckstyle } from './format/checkstyle';
import { formatHtml } from './format/html';

export const FORMATS = ['text', 'compact', 'json', 'sarif', 'github', 'gitlab', 'junit', 'checkstyle', 'html'] as const;
export type OutputFormat = (typeof FORMATS)[number];

/** Formats meant for people at a terminal; the rest are read by programs (no progress bar, no colour). */
const HUMAN: ReadonlySet<OutputFormat> = new Set(['text', 'compact']);

/** One report to write: `--format name[:path]` (ESLint and golangci-lint style); no path = stdout. */
export interface OutputSpec {
  format: OutputFormat;
  path?: string;
}

export class UsageError extends Error {}

/** Parses `name` or `name:path`; throws {@link UsageError} for an unknown name. */
export function parseOutputSpec(value: string): OutputSpec {
  const colon = value.indexOf(':');
  const name = colon < 0 ? value : value.slice(0, colon);
  const file = colon < 0 ? undefined : value.slice(colon + 1);
  if (!(FORMATS as readonly string[]).includes(name)) {
    throw new UsageError(`unknown format "${name}" in --format ${value}: use one of ${FORMATS.join(', ')}, optionally as format:FILE`);
  }
  if (file === '') throw new UsageError(`--format ${value} names no file after ":"`);
  return { format: name as OutputFormat, path: file };
}

/**
 * The outputs of a run: every `--format`, and `--output FILE` for the one
 * without a path (default `text` to stdout). At most one goes to stdout.
 */
export function resolveOutputs(specs: readonly OutputSpec[], output: string | undefined): OutputSpec[] {
  const list = specs.length ? specs.map((s) => ({ ...s })) : [{ format: 'text' as OutputFormat }];
  const toStdout = list.filter((s) => s.path === undefined);
  if (output !== undefined) {
    if (toStdout.length !== 1) throw new UsageError('--output applies to one --format without a path; give the others a path (format:FILE)');
    toStdout[0].path = output;
  } else if (toStdout.length > 1) {
    throw new UsageError(`only one --format may write to stdout (${toStdout.map((s) => s.format).join(', ')}); give the others a path (format:FILE)`);
  }
  return list;
}

export function isHumanFormat(format: OutputFormat): boolean {
  return HUMAN.has(format);
}

export function render(format: OutputFormat, report: Report, options: { color: boolean; summary: boolean }): string {
  switch (format) {
    case 'text': return formatText(report, options);
    case 'compact': return formatCompact(report);
    case 'json': return formatJson(report);
    case 'sarif': return formatSarif(report);
    case 'github': return formatGithub(report);
    case 'gitlab': return formatGitlab(report);
    case 'junit': return formatJunit(report);
    case 'checkstyle': return formatCheckstyle(report);
    case 'html': return formatHtml(report);
  }
}

/** Renders and writes every output (files' folders are created); colour only for text on a colour terminal. */
export function writeOutputs(outputs: readonly OutputSpec[], report: Report, opts: { cwd: string; color: boolean; quiet: boolean; stdout: (t: string) => void }): void {
  for (const spec of outputs) {
    const text = render(spec.format, report, { color: opts.color && spec.path === undefined, summary: !opts.quiet });
    writeText(spec.path, text, opts);
  }
}

export function writeText(file: string | undefined, text: string, opts: { cwd: string; stdout: (t: string) => void }): void {
  if (file === undefined) {
    opts.stdout(text);
    return;
  }
  const abs = path.resolve(opts.cwd, file);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
}
