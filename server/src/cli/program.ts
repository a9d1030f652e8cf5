import { MAX_FILE_SIZE_CAP } from '../engine/config/config';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { RULES } from '../rules';
import { packageInfo } from '../host-shared/rule-docs';
import { startLanguageServer } from './lsp-command';
import { runAudit, type AuditCommandOptions, type Io } from './run-audit';
import type { FailOn } from './report';
import { FORMATS, parseOutputSpec, resolveOutputs, UsageError } from './outputs';
import { parseRuleFlags } from './rule-flags';
import { addInfoCommands } from './commands/info-commands';
import { runMap } from './commands/map';

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
    .option('-f, --format <format[:file]>', `output format, repeatable: ${FORMATS.join(', ')}; format:FILE writes that report to FILE (default text)`, collect, [])
    .option('-o, --output <file>', 'write the report (the --format without a file) to FILE instead of stdout')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(['error', 'warning', 'info', 'none']).default('warning'))
    .option('-q, --quiet', 'report only findings that fail the run (errors with --fail-on none); no summary or notices (internal errors still shown)', false)
    .option('-c, --config <file>', 'use this config file for every file (instead of the nearest .shipshape.yaml)')
    .option('--rule <id=severity>', 'set a rule\'s severity (off, info, warning, error) over every config file; repeatable', collect, [])
    .option('--only <ids>', 'run only these rules (comma-separated ids); repeatable', collect, [])
    .option('--no-inline-config', 'ignore shipshape:ignore directives and shipshape.dev/ignore annotations')
    .option('--no-ignore', 'audit files that .gitignore ignores')
    .option('--baseline <file>', 'report only findings not in this baseline (written by --write-baseline)')
    .option('--write-baseline <file>', 'write every finding of this run to a baseline file')
    .option('--new-from-rev <rev>', 'report only findings on lines changed since this git revision (and in untracked files)')
    .option('--new-from-patch <file>', 'report only findings on lines this unified diff adds or changes')
    .option('--stdin', 'audit the text on standard input (needs --stdin-filename)', false)
    .option('--stdin-filename <path>', 'the path stdin\'s text is audited as (its config, excludes and workspace)')
    .option('--fix', 'apply safe fixes in place, then report what remains', false)
    .option('--fix-dry-run', 'print the safe fixes as a unified diff; change nothing', false)
    .option('--max-file-size <bytes>', 'skip files larger than this (default 5 MB, or maxFileSize in the config; at most 64 MiB)', fileSize)
    .option('-j, --jobs <n>', 'worker threads for the audit (default: the number of CPU cores)', positiveInt)
    .option('--cache', 'reuse the findings of files that did not change (nor anything their analysis read) since the last --cache run', false)
    .option('--cache-location <path>', 'the cache file, or a folder for it (default: the user cache folder, e.g. ~/.cache/shipshape/)')
    .action(async (paths: string[], flags: Record<string, unknown>) => {
      if (flags.fix && flags.fixDryRun) throw new InvalidArgumentError('--fix and --fix-dry-run cannot be combined');
      if (flags.newFromRev !== undefined && flags.newFromPatch !== undefined) throw new InvalidArgumentError('--new-from-rev and --new-from-patch cannot be combined');
      if (flags.stdin && flags.stdinFilename === undefined) throw new InvalidArgumentError('--stdin needs --stdin-filename PATH (the file the text is audited as)');
      if (!flags.stdin && flags.stdinFilename !== undefined) throw new InvalidArgumentError('--stdin-filename goes with --stdin');
      if (flags.stdin && paths.length) throw new InvalidArgumentError('--stdin audits standard input; give no paths');
      try {
        const options: AuditCommandOptions = {
          outputs: resolveOutputs((flags.format as string[]).map(parseOutputSpec), flags.output as string | undefined),
          failOn: flags.failOn as FailOn,
          quiet: Boolean(flags.quiet),
          config: flags.config as string | undefined,
          inlineConfig: flags.inlineConfig !== false,
          ignore: flags.ignore !== false,
          fix: Boolean(flags.fix),
          fixDryRun: Boolean(flags.fixDryRun),
          maxFileSize: flags.maxFileSize as number | undefined,
          jobs: flags.jobs as number | undefined,
          cache: Boolean(flags.cache) || flags.cacheLocation !== undefined,
          cacheLocation: flags.cacheLocation as string | undefined,
          ruleFlags: parseRuleFlags(RULES, flags.rule as string[], flags.only as string[]),
          baseline: flags.baseline as string | undefined,
          writeBaseline: flags.writeBaseline as string | undefined,
          newFromRev: flags.newFromRev as string | undefined,
          newFromPatch: flags.newFromPatch as string | undefined,
          stdinFilename: flags.stdin ? (flags.stdinFilename as string) : undefined,
        };
        exitCode = await runAudit(RULES, paths, options, io);
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        io.stderr(`shipshape: ${e.message}\n`);
        exitCode = 2;
      }
    });

  addInfoCommands(program, io, (code) => (exitCode = code));

  program
    .command('map')
    .description('show the service map: Go main packages, Dockerfiles and manifests linked, with each link\'s reason and what could not be linked')
    .argument('[paths...]', 'folders (default: .)')
    .addOption(new Option('-f, --format <format>', 'text, json or mermaid').choices(['text', 'json', 'mermaid']).default('text'))
    .action(async (paths: string[], flags: { format: 'text' | 'json' | 'mermaid' }) => {
      try {
        exitCode = await runMap(paths, flags.format, io);
      } catch (e) {
        if (!(e instanceof UsageError)) throw e;
        io.stderr(`shipshape: ${e.message}\n`);
        exitCode = 2;
      }
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

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** A file size in bytes: a positive integer no larger than {@link MAX_FILE_SIZE_CAP} (never Infinity). */
function fileSize(value: string): number {
  const n = positiveInt(value);
  if (n > MAX_FILE_SIZE_CAP) throw new InvalidArgumentError(`at most ${MAX_FILE_SIZE_CAP} bytes (64 MiB), got "${value}"`);
  return n;
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}
