import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import type { AnyRule } from '../engine/rule';
import { RULES } from '../rules/index';
import { startServer, type ServerOptions } from './server';

/**
 * Runs the language server on a connection made from the process arguments:
 * `--stdio`, `--node-ipc`, `--socket=<port>` or `--pipe=<name>` (what
 * `vscode-languageserver/node` reads). `shipshape lsp --stdio` and
 * `node dist/server.js --stdio` both end here.
 */
export function runLanguageServer(options: Partial<ServerOptions> & { rules?: readonly AnyRule[] } = {}): void {
  const connection = createConnection(ProposedFeatures.all);
  startServer(connection, { ...options, rules: options.rules ?? RULES });
}
