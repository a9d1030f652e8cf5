import * as path from 'node:path';
import type { SideFileAdapter } from '../../core/adapter';
import { parseGoMod, type GoMod } from './parser';

/**
 * go.mod: read by the workspace (`goModFor`: module path, `go` and
 * `toolchain` lines, requirements) for the Go files and Dockerfiles below it;
 * never analysed on its own. The format accepts any line (unknown directives
 * are ignored, as the go command's own reader does for its checks here).
 */
export const goModAdapter: SideFileAdapter<GoMod> = {
  role: 'side',
  kind: 'gomod',
  label: 'go.mod',
  lineComment: '//',
  claims: (filePath) => path.basename(filePath) === 'go.mod',
  parse: (_filePath, text) => parseGoMod(text),
  syntaxErrors: () => 0,
};
