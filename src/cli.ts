import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import type { CostOptions } from './commands/cost-options.js';
import { COST_OPTIONS } from './commands/cost-options.js';
import type { OptionSpec } from './commands/options.js';
import type { RunContext } from './context.js';
import { AppError, DataError, EXIT } from './errors.js';
import { packageRoot } from './paths.js';

/** A subcommand: its help and flags come from `options`; its code loads only when it runs. */
interface CommandSpec {
  name: string;
  summary: string;
  examples: string[];
  options: readonly OptionSpec[];
  run: (options: Record<string, unknown>, ctx: RunContext) => Promise<number>;
}

const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'cost',
    summary: 'what a routing setup costs per month as traffic grows, against a baseline',
    examples: [
      'ai-route cost                                  the default scenario: the seed article growth stages',
      'ai-route cost --volume 500M --volume 5B        price these monthly volumes',
      'ai-route cost --scenario hybrid --explain      three tiers, with how each figure is made',
      'ai-route cost --months 12 --growth 15          a year of 15% monthly growth, with the total',
      'ai-route cost --format markdown --out cost.md  a table for a slide or a PR comment',
      'ai-route cost --budget 1000                    exit 3 when a stage costs more than $1,000/month',
    ],
    options: COST_OPTIONS,
    run: async (options, ctx) => (await import('./commands/cost.js')).runCost(options as unknown as CostOptions, ctx),
  },
];

function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

function toOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.choices) option.choices(spec.choices);
  if (spec.parse) option.argParser(spec.parse);
  if (spec.defaultValue !== undefined) option.default(spec.defaultValue);
  return option;
}

/** Builds the commander program; every exit goes through `exitOverride`, so the caller decides the code. */
export function createProgram(ctx: RunContext, onExit: (code: number) => void): Command {
  const program = new Command('ai-route')
    .description('Choose and defend an LLM API setup with numbers you can trust.')
    .version(version(), '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addHelpText(
      'after',
      '\nExit codes: 0 ok, 1 unexpected failure, 2 usage or input error, 3 a gate failed, 130 interrupted.\n' +
        'Run "ai-route <command> --help" for the flags of a command.',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      outputError: (s, write) => write(`ai-route: ${s.replace(/^error: /, '')}`),
    })
    .showSuggestionAfterError(true);
  for (const spec of COMMANDS) {
    const command = program
      .command(spec.name)
      .description(spec.summary)
      .addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  ${e}`).join('\n')}\n`)
      .exitOverride()
      .configureOutput(program.configureOutput());
    for (const option of spec.options) command.addOption(toOption(option));
    command.action(async (options: Record<string, unknown>) => onExit(await spec.run(options, ctx)));
  }
  return program;
}

/** Parses argv, runs the command and returns its exit code; every error becomes a message and a code. */
export async function run(argv: readonly string[], ctx: RunContext): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = createProgram(ctx, (code) => {
    exitCode = code;
  });
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT.ok;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (err) {
    return reportError(err, ctx, argv.includes('--debug'));
  }
}

function reportError(err: unknown, ctx: RunContext, debug: boolean): number {
  if (err instanceof CommanderError) {
    // commander printed its message already; help and --version end with code 0
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof AppError) {
    const prefix = err instanceof DataError ? '' : 'ai-route: ';
    ctx.stderr.write(err.lines.map((line) => `${prefix}${line}\n`).join(''));
    if (debug && err.stack) ctx.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  ctx.stderr.write(`ai-route: unexpected error: ${message.split('\n')[0]}${debug ? '' : ' (run with --debug for the stack trace)'}\n`);
  if (debug && err instanceof Error && err.stack) ctx.stderr.write(`${err.stack}\n`);
  return EXIT.failure;
}
