import { DockerfileParser, type Dockerfile } from 'dockerfile-ast';
import { SourceText } from '../../core/source-text';
import { AnalysisSlot } from '../../core/analysis-slot';
import type { Span } from '../../core/finding';

declare module '../../core/analysis' {
  interface AnalysisUnits {
    'docker-file': DockerFile;
  }
}

export type { Dockerfile } from 'dockerfile-ast';

/** dockerfile-ast's own range type (LSP line/character). */
export interface AstRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** A parsed Dockerfile. dockerfile-ast counts LSP positions; they become offsets here, once. */
export interface DockerFile {
  readonly kind: 'docker';
  readonly path: string;
  readonly source: SourceText;
  readonly ast: Dockerfile;
  /** Engine-owned results of the analyses run on this file (its AST). */
  readonly analyses: AnalysisSlot;
  /** Offset span of a dockerfile-ast range. */
  spanOf(range: AstRange): Span;
}

export function parseDockerfile(filePath: string, text: string | SourceText): DockerFile {
  const source = typeof text === 'string' ? new SourceText(text) : text;
  const ast = DockerfileParser.parse(source.text);
  return {
    kind: 'docker',
    analyses: new AnalysisSlot(),
    path: filePath,
    source,
    ast,
    spanOf(range: AstRange): Span {
      return { start: source.offsetAt(range.start), end: source.offsetAt(range.end) };
    },
  };
}
