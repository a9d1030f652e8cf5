import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePatch } from 'diff';
import type { ReportedFinding } from '../report';
import { UsageError } from '../outputs';

/** Lines added or changed per absolute file path; `all` for a file that is new as a whole. */
export type ChangedLines = Map<string, Set<number> | 'all'>;

/**
 * `--new-from-rev REV`: what changed in the work tree (staged or not) since
 * REV, plus untracked files, as golangci-lint computes it.
 */
export function changedSinceRev(cwd: string, rev: string): ChangedLines {
  const top = gitTop(cwd);
  if (top === undefined) throw new UsageError(`--new-from-rev needs a git repository, and ${cwd} is not inside one (use --new-from-patch FILE or --baseline FILE)`);
  if (git(top, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).status !== 0) throw new UsageError(`--new-from-rev ${rev}: no such revision in ${top}`);
  const diff = git(top, ['diff', '--no-color', '--no-ext-diff', '--no-renames', '-U0', rev, '--']);
  if (diff.status !== 0) throw new UsageError(`--new-from-rev ${rev}: git diff failed: ${diff.stderr.trim()}`);
  const changed = fromPatch(diff.stdout, top);
  const untracked = git(top, ['ls-files', '--others', '--exclude-standard', '-z']);
  for (const rel of untracked.stdout.split('\0').filter(Boolean)) changed.set(path.join(top, rel), 'all');
  return changed;
}

/** `--new-from-patch FILE`: a unified diff (`git diff`, `diff -u`); its paths are relative to the repository top, else the working directory. */
export function changedInPatch(cwd: string, patchFile: string): ChangedLines {
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(cwd, patchFile), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `patch file not found: ${patchFile}` : `cannot read patch ${patchFile} (${code ?? String(e)})`);
  }
  try {
    return fromPatch(text, gitTop(cwd) ?? cwd);
  } catch (e) {
    throw new UsageError(`${patchFile} is not a unified diff: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Keeps the findings whose first line was added or changed. */
export function onlyChanged(findings: readonly ReportedFinding[], changed: ChangedLines): ReportedFinding[] {
  return findings.filter((f) => {
    const lines = changed.get(f.finding.file);
    return lines === 'all' || (lines !== undefined && lines.has(f.start.line));
  });
}

function fromPatch(text: string, base: string): ChangedLines {
  const changed: ChangedLines = new Map();
  for (const file of parsePatch(text)) {
    const name = file.newFileName;
    if (name === undefined || name === '/dev/null') continue;
    const abs = path.resolve(base, name.replace(/^[ab]\//, ''));
    if (file.oldFileName === '/dev/null') {
      changed.set(abs, 'all');
      continue;
    }
    const lines = new Set<number>();
    for (const hunk of file.hunks) {
      let n = hunk.newStart;
      for (const l of hunk.lines) {
        if (l.startsWith('+')) lines.add(n++);
        else if (l.startsWith(' ')) n++;
      }
    }
    const prior = changed.get(abs);
    if (prior !== 'all') changed.set(abs, new Set([...(prior ?? []), ...lines]));
  }
  return changed;
}

function git(cwd: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new UsageError(`cannot run git: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function gitTop(cwd: string): string | undefined {
  const r = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8' });
  if (r.error || r.status !== 0) return undefined;
  return fs.realpathSync(r.stdout.trim());
}
