import type { Connection } from 'vscode-languageserver';

/**
 * The server's log, through `window/logMessage` only (stdout is the protocol
 * under --stdio). Verbosity follows `shipshape.trace.server`: `off` logs
 * warnings and errors, `messages` adds what the server does, `verbose` adds timings.
 */
export class Log {
  private level: 'off' | 'messages' | 'verbose' = 'off';

  constructor(private readonly connection: Connection) {}

  setLevel(level: 'off' | 'messages' | 'verbose'): void {
    this.level = level;
  }

  error(message: string): void {
    this.connection.console.error(message);
  }

  warn(message: string): void {
    this.connection.console.warn(message);
  }

  info(message: string): void {
    if (this.level !== 'off') this.connection.console.info(message);
  }

  debug(message: string): void {
    if (this.level === 'verbose') this.connection.console.log(message);
  }
}
