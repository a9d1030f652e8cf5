import { main } from './program';
import type { Io } from './run-audit';

// The `shipshape` executable (bundled to dist/cli.js; bin/shipshape.js loads it). The program itself is in program.ts.
function isColorTerminal(): boolean {
  if (process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion -- typed boolean, but isTTY is undefined when stdout is not a terminal
  return Boolean(process.stdout.isTTY);
}

{
  const io: Io = {
    cwd: process.cwd(),
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    color: isColorTerminal(),
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion -- typed boolean, but isTTY is undefined when stderr is not a terminal
    stderrIsTTY: Boolean(process.stderr.isTTY) && !process.env.CI,
    columns: process.stderr.columns,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
      return Buffer.concat(chunks).toString('utf8').replace(/^\ufeff/, '');
    },
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`shipshape: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
