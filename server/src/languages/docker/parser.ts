import { DockerfileParser, type Dockerfile } from 'dockerfile-ast';
import { SourceText } from '../../core/source-text';
import { AnalysisSlot } from '../../core/analysis-slot';
import type { Span } from '../../core/finding';

declare module '../../core/analysis' {
  interface AnalysisUnits {
    'docker-file': DockerFile;
  }
  /** Dockerfiles give facts too (the service model's `workspace/docker-facts`). */
  interface FactUnits {
    'docker-file': true;
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
  const ast = DockerfileParser.parse(textForParser(source.text));
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

/**
 * The text dockerfile-ast parses: as written, except that comment lines
 * inside an instruction keyword split by line continuations (`RU\`, `# note`,
 * `N echo`) become blank. BuildKit drops comment lines inside continuations,
 * so that is `RUN echo`; dockerfile-ast would end the instruction at the
 * comment. Blanking keeps every offset (one space per UTF-16 unit).
 */
export function textForParser(text: string): string {
  const escape = /^(?:[ \t]*#[ \t]*\w+[ \t]*=[^\r\n]*\r?\n)*?[ \t]*#[ \t]*escape[ \t]*=[ \t]*([\\`])/i.exec(text)?.[1] ?? '\\';
  const fragment = new RegExp(`^[ \\t]*[A-Za-z]+${escape === '\\' ? '\\\\' : '`'}[ \\t]*$`);
  const lines = text.split(/(?<=\r\n|\n|\r(?!\n))/);
  let inKeyword = false;
  let changed = false;
  for (let i = 0; i < lines.length; i++) {
    const content = lines[i].replace(/\r?\n$|\r$/, '');
    if (inKeyword && /^[ \t]*(#|$)/.test(content)) {
      if (content.trim() !== '') {
        lines[i] = ' '.repeat(content.length) + lines[i].slice(content.length);
        changed = true;
      }
      continue;
    }
    // A line that is only a keyword fragment and a continuation (`RU\`), or the next fragment of one (`R\`, `U\`).
    inKeyword = fragment.test(content) && (inKeyword || i === 0 || !endsContinued(lines[i - 1], escape));
  }
  return changed ? lines.join('') : text;
}

function endsContinued(line: string, escape: string): boolean {
  const content = line.replace(/[ \t]*(\r?\n|\r)?$/, '');
  return content.endsWith(escape) && !/^[ \t]*#/.test(content);
}
