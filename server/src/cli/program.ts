import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { RULES } from '../rules';
import { packageInfo } from '../rule-docs';
import { startLanguageServer } from './lsp-command';
import { runAudit, type AuditCommandOptions, type Io, type OutputFormat } from './run-audit';
import type { FailOn } from './report';

/** `shipshape`: the command line. Only translates flags into {@link runAudit}; exit codes per style.md. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  let exitCode = 0;
  const program = new Command('shipshape')
    .description('Finds and fixes the defects Go services ship to Kubernetes: in the Go code, the Dockerfile and the manifests.')
    .version(packageInfo().version, '-v, --version')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .showHelpAfterError('(run shipshape --help for usage)');

  program
    .command('audit')
    .description('audit Go files, Dockerfiles and Kubernetes manifests under the given paths (default: .)')
    .argument('[paths...]', 'files or directories')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(['error', 'warning', 'info', 'none']).default('warning'))
    .option('-q, --quiet', 'report only findings that fail the run (errors with --fail-on none); no summary or notices', false)
    .option('-c, --config <file>', 'use this config file for every file (instead of the nearest .shipshape.yaml)')
    .option('--no-inline-config', 'ignore shipshape:ignore directives and shipshape.dev/ignore annotations')
    .option('--fix', 'apply safe fixes in place, then report what remains', false)
    .option('--fix-dry-run', 'print the safe fixes as a unified diff; change nothing', false)
    .option('--max-file-size <bytes>', 'skip files larger than this (default 5 MB, or maxFileSize in the config)', positiveInt)
    .option('-j, --jobs <n>', 'worker threads for the audit (default: the number of CPU cores)', positiveInt)
    .action(async (paths: string[], flags: Record<string, unknown>) => {
      if (flags.fix && flags.fixDryRun) throw new InvalidArgumentError('--fix and --fix-dry-run cannot be combined');
      const options: AuditCommandOptions = {
        format: flags.format as OutputFormat,
        output: flags.output as string | undefined,
        failOn: flags.failOn as FailOn,
        quiet: Boolean(flags.quiet),
        config: flags.config as string | undefined,
        inlineConfig: flags.inlineConfig !== false,
        fix: Boolean(flags.fix),
        fixDryRun: Boolean(flags.fixDryRun),
        maxFileSize: flags.maxFileSize as number | undefined,
        jobs: flags.jobs as number | undefined,
      };
      exitCode = await runAudit(RULES, paths, options, io);
    });

  program
    .command('lsp')
    .description('run the language server for other editors (LSP over stdio by default)')
    .option('--stdio', 'talk LSP over stdin/stdout (the default)')
    .option('--node-ipc', 'talk LSP over Node IPC')
    .option('--socket <port>', 'talk LSP over a socket')
    .allowUnknownOption()
    .action((flags: { socket?: string }) => {
      if (flags.socket && !process.argv.some((a) => a.startsWith('--socket='))) process.argv.push(`--socket=${flags.socket}`);
      const error = startLanguageServer();
      if (error) {
        io.stderr(`shipshape: ${error}\n`);
        exitCode = 2;
      }
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      if (e instanceof InvalidArgumentError && e.code === 'commander.invalidArgument' && !e.message.startsWith('error:')) io.stderr(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}
