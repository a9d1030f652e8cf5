import * as path from 'node:path';
import type { DocumentAdapter } from '../../core/adapter';
import type { AnalysisOn, AnalysisUnits } from '../../core/analysis';
import type { Span } from '../../core/finding';
import type { SourceText } from '../../core/source-text';
import { parseDockerfile, type DockerFile } from './parser';

declare module '../../core/adapter' {
  interface ParsedDocuments {
    docker: DockerFile;
  }
}

/** `Dockerfile`, `Dockerfile.prod`, `api.Dockerfile`, `Containerfile` (case-insensitive). */
export function isDockerfileName(lowerBase: string): boolean {
  return (
    lowerBase === 'dockerfile' ||
    lowerBase === 'containerfile' ||
    lowerBase.startsWith('dockerfile.') ||
    lowerBase.startsWith('containerfile.') ||
    lowerBase.endsWith('.dockerfile') ||
    lowerBase.endsWith('.containerfile')
  );
}

/**
 * Dockerfiles through dockerfile-ast, which accepts any text (docker/syntax
 * reports what BuildKit would reject, as findings). `#` comments; a
 * file-level directive goes after the parser directives (`# syntax=` must
 * stay first). Unit: `docker-file`.
 */
export const dockerAdapter: DocumentAdapter<DockerFile> = {
  role: 'document',
  kind: 'docker',
  label: 'Dockerfile',
  lineComment: '#',
  claims: (filePath, languageId) => languageId === 'dockerfile' || isDockerfileName(path.basename(filePath).toLowerCase()),
  parse: (filePath, source) => parseDockerfile(filePath, source),
  syntaxErrors: () => 0,
  comments: (parsed): Span[] => parsed.ast.getComments().map((c) => parsed.spanOf(c.getRange())),
  fileDirectiveLine(source: SourceText): number {
    let line = 0;
    while (line < source.lineCount && /^#\s*[A-Za-z]+\s*=/.test(source.lineText(line))) line++;
    return line;
  },
  unit<K extends AnalysisOn>(on: K, parsed: DockerFile): AnalysisUnits[K] | undefined {
    if (on === 'docker-file') return parsed as AnalysisUnits[K];
    if (on === 'text') return parsed.source as AnalysisUnits[K];
    return undefined;
  },
  dispose: () => undefined,
};
