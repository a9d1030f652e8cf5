import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReportedFinding } from '../report';
import { UsageError } from '../outputs';
import { contentHash } from './fingerprint';

/**
 * `--write-baseline FILE` / `--baseline FILE`: the findings a codebase already
 * has, so that adopting Shipshape fails only on new ones. Entries are matched
 * by {@link contentHash} (rule, flagged text, its line's text), so line shifts
 * and renames keep them; `line` and `message` are there for people reviewing
 * the file. Paths are relative to the baseline file's folder.
 */
export interface BaselineFile {
  version: 1;
  tool: 'shipshape';
  findings: BaselineEntry[];
}

export interface BaselineEntry {
  ruleId: string;
  file: string;
  line: number;
  hash: string;
  message: string;
}

export function writeBaseline(file: string, findings: readonly ReportedFinding[]): number {
  const dir = path.dirname(file);
  const body: BaselineFile = {
    version: 1,
    tool: 'shipshape',
    findings: findings.map((f) => ({
      ruleId: f.finding.ruleId,
      file: path.relative(dir, f.finding.file).split(path.sep).join('/'),
      line: f.start.line,
      hash: contentHash(f),
      message: f.finding.message,
    })),
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(body, null, 2)}\n`);
  return body.findings.length;
}

export function readBaseline(file: string, shownAs: string): BaselineEntry[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `baseline file not found: ${shownAs} (write one with --write-baseline ${shownAs})` : `cannot read baseline ${shownAs} (${code ?? String(e)})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`${shownAs} is not a Shipshape baseline: not JSON (write one with --write-baseline)`);
  }
  const findings = (parsed as { findings?: unknown } | null)?.findings;
  if ((parsed as { version?: unknown }).version !== 1 || !Array.isArray(findings) || !findings.every(isEntry)) {
    throw new UsageError(`${shownAs} is not a Shipshape baseline (version 1): write one with --write-baseline`);
  }
  const dir = path.dirname(file);
  return findings.map((e) => ({ ...e, file: path.resolve(dir, e.file) }));
}

function isEntry(e: unknown): e is BaselineEntry {
  if (typeof e !== 'object' || e === null) return false;
  const r = e as Record<string, unknown>;
  return typeof r.ruleId === 'string' && typeof r.file === 'string' && typeof r.hash === 'string';
}

export interface BaselineMatch {
  /** Findings not in the baseline: the ones to report. */
  fresh: ReportedFinding[];
  /** Findings hidden because the baseline holds them. */
  known: number;
  /** Baseline entries no finding matched any more (fixed since). */
  fixed: number;
}

/**
 * Each baseline entry hides at most one finding: first one with the same hash
 * in the same file, then (a renamed file) one with the same hash in any file,
 * taking entries whose file no longer exists.
 */
export function applyBaseline(findings: readonly ReportedFinding[], entries: readonly BaselineEntry[]): BaselineMatch {
  const pool = new Map<string, BaselineEntry[]>();
  for (const e of entries) pool.set(`${e.hash}\0${e.file}`, [...(pool.get(`${e.hash}\0${e.file}`) ?? []), e]);
  const used = new Set<BaselineEntry>();
  const hashes = findings.map((f) => contentHash(f));
  const unmatched: number[] = [];
  findings.forEach((f, i) => {
    const e = pool.get(`${hashes[i]}\0${f.finding.file}`)?.find((x) => !used.has(x));
    if (e) used.add(e);
    else unmatched.push(i);
  });
  const gone = entries.filter((e) => !used.has(e) && !fs.existsSync(e.file));
  const fresh: ReportedFinding[] = [];
  for (const i of unmatched) {
    const e = gone.find((x) => !used.has(x) && x.hash === hashes[i]);
    if (e) used.add(e);
    else fresh.push(findings[i]);
  }
  return { fresh, known: findings.length - fresh.length, fixed: entries.length - used.size };
}
