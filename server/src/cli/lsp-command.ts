import * as fs from 'node:fs';
import * as path from 'node:path';

const TRANSPORTS = ['--stdio', '--node-ipc', '--socket=', '--pipe='];

/**
 * `shipshape lsp [--stdio]`: runs the language server for editors other
 * than VS Code. cli/ and lsp/ never import each other (style.md), so this
 * loads the server bundle that sits beside the CLI bundle (dist/server.js),
 * which starts on the transport named in process.argv (default `--stdio`).
 * Returns an error message when the bundle is missing.
 */
export function startLanguageServer(): string | undefined {
  const bundle = path.join(__dirname, 'server.js');
  if (!fs.existsSync(bundle)) return `language server bundle not found at ${bundle}: run npm run build`;
  if (!process.argv.some((a) => TRANSPORTS.some((t) => a === t || (t.endsWith('=') && a.startsWith(t))))) process.argv.push('--stdio');
  // A runtime path, not an import: the server bundle is its own program.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(bundle);
  return undefined;
}
