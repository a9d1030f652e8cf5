import * as path from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { defineDockerRule } from '../../engine/rule';
import type { Fix } from '../../core/finding';
import { buildContextDir } from '../../workspace/build-context';
import { DOCKER_STAGES, copyOperands, flagsOf, isWholeContextCopy } from '../../languages/docker/model/stages';

/**
 * Flags the first COPY/ADD of the whole build context (`COPY . .`) when the
 * context has no `.dockerignore` (nor a BuildKit `<Dockerfile>.dockerignore`
 * beside the Dockerfile). Skips Dockerfiles that copy only named paths.
 */

/** Go-service defaults by group; a pattern is left out when the Dockerfile copies that path by name. */
const DEFAULTS: readonly { why: string; patterns: readonly string[] }[] = [
  { why: 'version control', patterns: ['.git', '.github', '.gitlab-ci.yml'] },
  { why: 'editors', patterns: ['.idea', '.vscode', '**/.DS_Store'] },
  { why: 'secrets', patterns: ['.env', '.env.*', '**/*.pem', '**/*.key'] },
  { why: 'local build output', patterns: ['bin', 'dist', '**/*.test', '**/*.out', 'coverage.*', 'tmp', 'node_modules'] },
  { why: 'files that only change the build, not the image', patterns: ['Dockerfile*', '*.Dockerfile', 'docker-compose*.yml', 'compose*.yaml'] },
];

export const rule = defineDockerRule({
  id: 'docker/missing-dockerignore',
  meta: {
    title: 'Whole context copied without a .dockerignore',
    description: 'COPY . . with no .dockerignore sends .git, local binaries and secrets such as .env into the build and often the image.',
    severity: 'warning',
    fixable: true,
    messages: {
      missing: '{copy} copies the whole context and there is no .dockerignore: {risk} go into the image',
    },
  },
  analyses: [DOCKER_STAGES],
  check(ctx, file) {
    const model = ctx.resultOf(DOCKER_STAGES);
    const wide = model.stages.flatMap((s) => s.instructions).find(isWholeContextCopy);
    if (!wide) return;
    const contextDir = buildContextDir(ctx.workspace, ctx.filePath);
    if (ctx.workspace.exists(path.join(contextDir, '.dockerignore'))) return;
    if (ctx.workspace.exists(`${ctx.filePath}.dockerignore`)) return;
    const entries = new Set(ctx.workspace.listDir(contextDir) ?? []);
    const present = ['.git', '.env', 'bin', 'dist'].filter((n) => entries.has(n));
    const risk = present.length > 0 ? present.join(', ') : '.git, local binaries and secrets';
    const span = file.spanOf(wide.getRange());
    const lineEnd = file.source.lineContentEnd(file.source.lineOf(span.start));
    const copy = file.source.text.slice(span.start, Math.min(span.end, lineEnd));
    ctx.report({
      span: { start: span.start, end: span.start + copy.length },
      messageId: 'missing',
      data: { copy, risk },
      fixes: () => [createIgnore(model.stages.flatMap((s) => s.instructions), contextDir, file.source.eol)],
    });
  },
});

function createIgnore(instructions: Instruction[], contextDir: string, eol: string): Fix {
  // Paths the Dockerfile copies by name must stay in the context.
  const named = new Set<string>();
  for (const ins of instructions) {
    const kw = ins.getKeyword();
    if ((kw !== 'COPY' && kw !== 'ADD') || flagsOf(ins).some((f) => f.name === 'from')) continue;
    for (const src of copyOperands(ins).slice(0, -1)) named.add(src.replace(/^\.\//, '').split('/')[0]);
  }
  const lines = ['# Keep the build context small and secrets out of the image (created by Shipshape).'];
  for (const group of DEFAULTS) {
    const kept = group.patterns.filter((p) => !named.has(p) && ![...named].some((n) => n !== '.' && n !== '*' && n !== '' && matchesTop(p, n)));
    if (kept.length > 0) lines.push('', `# ${group.why}`, ...kept);
  }
  return { title: 'Create a .dockerignore with Go defaults', safe: false, preferred: true, edits: [{ createFile: path.join(contextDir, '.dockerignore'), text: lines.join(eol) + eol }] };
}

/** A simple top-level match of a default pattern against a copied name (`Dockerfile*` vs `Dockerfile.prod`). */
function matchesTop(pattern: string, name: string): boolean {
  if (pattern.startsWith('**/')) return false;
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return re.test(name);
}
