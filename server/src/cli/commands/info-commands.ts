import { type Command, Option } from 'commander';
import { ConfigError } from '../../engine/config/config-file';
import { RULES } from '../../rules';
import { packageInfo } from '../../host-shared/rule-docs';
import { UsageError } from '../outputs';
import { relativePath } from '../report';
import { parseRuleFlags } from '../rule-flags';
import type { Io } from '../audit-options';
import { listRules } from './rules';
import { explainRule } from './explain';
import { initConfig } from './init';
import { printConfig } from './config-print';

/** `rules`, `explain`, `init` and `config print`: the commands that describe Shipshape rather than audit. */
export function addInfoCommands(program: Command, io: Io, setExit: (code: number) => void): void {
  const guarded = (fn: () => void): void => {
    try {
      fn();
    } catch (e) {
      if (e instanceof UsageError) {
        io.stderr(`shipshape: ${e.message}\n`);
        setExit(2);
      } else if (e instanceof ConfigError) {
        for (const p of e.problems) io.stderr(`${relativePath(io.cwd, p.file)}:${p.line}:${p.column}: error: ${p.message}\n`);
        setExit(2);
      } else throw e;
    }
  };

  program
    .command('rules')
    .description('list every rule: id, default severity, whether --fix fixes it, title')
    .addOption(new Option('-f, --format <format>', 'table or json').choices(['table', 'json']).default('table'))
    .action((flags: { format: 'table' | 'json' }) => { io.stdout(listRules(RULES, flags.format)); });

  program
    .command('explain')
    .description('show a rule\'s documentation in the terminal')
    .argument('<rule>', 'rule id, e.g. go/unclosed-body')
    .action((id: string) => { guarded(() => { io.stdout(explainRule(RULES, id, packageInfo(), io.color)); }); });

  program
    .command('init')
    .description('write a commented .shipshape.yaml with every rule and option at its default')
    .option('--stdout', 'print the template instead of writing the file', false)
    .action((flags: { stdout: boolean }) => { guarded(() => {
        const file = initConfig(RULES, io.cwd, flags.stdout, io.stdout);
        if (file) io.stderr(`shipshape: wrote ${relativePath(io.cwd, file)}\n`);
      }); },
    );

  const config = program.command('config').description('inspect configuration');
  config
    .command('print')
    .description('print the configuration that applies to a file (config file, excluded or not, every rule\'s severity and options)')
    .argument('<file>', 'a file (it need not exist)')
    .addOption(new Option('-f, --format <format>', 'yaml or json').choices(['yaml', 'json']).default('yaml'))
    .option('-c, --config <file>', 'use this config file instead of the nearest .shipshape.yaml')
    .option('--rule <id=severity>', 'as for audit; repeatable', (v: string, p: string[]) => [...p, v], [])
    .option('--only <ids>', 'as for audit; repeatable', (v: string, p: string[]) => [...p, v], [])
    .option('--no-inline-config', 'as for audit')
    .action((file: string, flags: { format: 'yaml' | 'json'; config?: string; rule: string[]; only: string[]; inlineConfig: boolean }) => { guarded(() => {
        const ruleFlags = parseRuleFlags(RULES, flags.rule, flags.only);
        io.stdout(printConfig(RULES, file, { config: flags.config, inlineConfig: flags.inlineConfig, ruleFlags }, io.cwd, flags.format));
      }); },
    );
}
