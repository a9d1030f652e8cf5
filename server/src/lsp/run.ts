import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import type { AnyRule } from '../engine/rule';
import { RULES } from '../rules/index';
import { startServer, type ServerOptions } from './server';
import { exitOnFramingError } from './transport/framing';
import { VersionLedger, peekingReader, transportFromArgs } from './transport/transport';

/**
 * Runs the language server on a connection made from the process arguments:
 * `--stdio` or `--node-ipc` (read through a {@link VersionLedger}), or
 * `--socket=<port>` / `--pipe=<name>` (left to `vscode-languageserver/node`).
 * `shipshape lsp --stdio` and `node dist/server.js --stdio` both end here.
 */
export function runLanguageServer(options: Partial<ServerOptions> & { rules?: readonly AnyRule[] } = {}): void {
  const ledger = new VersionLedger();
  const transport = transportFromArgs(process.argv.slice(2));
  // A message the reader cannot decode (bad JSON, bad framing) leaves JSON-RPC out of step for good: exit, the client restarts us.
  transport?.reader.onError((e) => { exitOnFramingError((e instanceof Error ? e.message : String(e)).split('\n')[0].slice(0, 200)); });
  const connection = transport
    ? createConnection(ProposedFeatures.all, peekingReader(transport.reader, ledger), transport.writer)
    : createConnection(ProposedFeatures.all);
  startServer(connection, { ...options, rules: options.rules ?? RULES, ledger });
}
