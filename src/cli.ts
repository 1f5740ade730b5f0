import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { CAPACITY_SPEC } from './commands/capacity-spec.js';
import { COST_DIFF_SPEC } from './commands/cost-diff-spec.js';
import { COST_SPEC } from './commands/cost-spec.js';
import { DECIDE_SPEC, type DecideOptionsCli } from './commands/decide-spec.js';
import { MOCK_SPEC } from './commands/mock-spec.js';
import {
  type CommandSpec,
  type OptionSpec,
  type OptionTable,
  type OptionsOf,
} from './commands/options.js';
import {
  CHECK_SPEC,
  DIFF_SPEC,
  IMPORT_SPEC,
  LIST_SPEC,
  PRICING_SPEC,
  VALIDATE_SPEC,
} from './commands/pricing-spec.js';
import { MERGE_SPEC, PROBE_SPEC } from './commands/probe-spec.js';
import { PREMORTEM_SPEC } from './commands/premortem-spec.js';
import { REPORT_SPEC } from './commands/report-spec.js';
import { FIT_SPEC, SUMMARY_SPEC, USAGE_SPEC } from './commands/usage-spec.js';
import type { RunContext } from './domain/context.js';
import { AppError, EXIT, Interrupted, UsageError } from './domain/errors.js';
import { diagnostics } from './io/diagnostics.js';
import { packageRoot } from './load/paths.js';
import { brokenRule } from './core/flag-rules.js';
import { type FlagSection, defaultShown, ruleText } from './render/flags.js';
import { parseVolume } from './units/volume.js';
import { headerSecrets, publicUrl, secretRedactor, urlSecrets } from './core/redact.js';

/** A command as commander needs it: its spec, and the code that runs it (loaded when it runs). */
export interface CommandEntry {
  spec: CommandSpec;
  run?: (args: string[], options: Record<string, unknown>, ctx: RunContext) => Promise<number>;
  subcommands?: readonly CommandEntry[];
}

/**
 * A command whose run receives the options typed from its own table. commander fills an object
 * keyed by each option's attribute name (checked against the table keys by
 * test/cli-options.test.ts), so this is the one place that object is given its type.
 */
function command<S extends CommandSpec, O = OptionsOf<TableOf<S>>>(
  spec: S,
  run: (args: string[], options: O, ctx: RunContext) => Promise<number>,
): CommandEntry {
  return { spec, run: (args, options, ctx) => run(args, options as O, ctx) };
}

type TableOf<S extends CommandSpec> = S['options'] extends OptionTable ? S['options'] : OptionTable;

const pricingCommand = async () => import('./commands/pricing.js');

/**
 * Every command of the tool, each bound to its spec: the one table help, parsing and the docs'
 * flag tables come from.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    ...command(COST_SPEC, async (_args, options, ctx) =>
      (await import('./commands/cost.js')).runCost(options, ctx),
    ),
    subcommands: [
      command(COST_DIFF_SPEC, async (_args, options, ctx) =>
        (await import('./commands/cost-diff.js')).runCostDiff(options, ctx),
      ),
    ],
  },
  {
    spec: PRICING_SPEC,
    subcommands: [
      command(LIST_SPEC, async (_args, options, ctx) =>
        (await pricingCommand()).runPricingList(options, ctx),
      ),
      command(VALIDATE_SPEC, async (args, _options, ctx) =>
        (await pricingCommand()).runPricingValidate(args, ctx),
      ),
      command(IMPORT_SPEC, async (args, options, ctx) =>
        (await import('./commands/pricing-import.js')).runPricingImport(args[0]!, options, ctx),
      ),
      command(CHECK_SPEC, async (args, options, ctx) =>
        (await pricingCommand()).runPricingCheck(args, options, ctx),
      ),
      command(DIFF_SPEC, async (args, options, ctx) =>
        (await pricingCommand()).runPricingDiff(args[0]!, args[1], options, ctx),
      ),
    ],
  },
  command<CommandSpec, DecideOptionsCli>(DECIDE_SPEC, async (_args, options, ctx) =>
    (await import('./commands/decide.js')).runDecide(options, ctx),
  ),
  {
    ...command(PROBE_SPEC, async (_args, options, ctx) =>
      (await import('./commands/probe.js')).runProbeCommand(options, ctx),
    ),
    subcommands: [
      command(MERGE_SPEC, async (args, options, ctx) =>
        (await import('./commands/probe-merge.js')).runProbeMerge(args, options, ctx),
      ),
    ],
  },
  command(PREMORTEM_SPEC, async (_args, options, ctx) =>
    (await import('./commands/premortem.js')).runPremortem(options, ctx),
  ),
  command(CAPACITY_SPEC, async (_args, options, ctx) =>
    (await import('./commands/capacity.js')).runCapacity(options, ctx),
  ),
  command(REPORT_SPEC, async (_args, options, ctx) =>
    (await import('./commands/report.js')).runReport(options, ctx),
  ),
  {
    spec: USAGE_SPEC,
    subcommands: [
      command(SUMMARY_SPEC, async (args, options, ctx) =>
        (await import('./commands/usage.js')).runUsageSummary(args, options, ctx),
      ),
      command(FIT_SPEC, async (args, options, ctx) =>
        (await import('./commands/usage.js')).runUsageFit(args, options, ctx),
      ),
    ],
  },
  command(MOCK_SPEC, async (_args, options, ctx) =>
    (await import('./commands/mock.js')).runMock(options, ctx),
  ),
];

function version(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

/** A commander Option from our spec. */
export function toOption(spec: OptionSpec<any>): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.choices) option.choices(spec.choices);
  if (spec.parse) option.argParser(spec.parse);
  if (spec.default !== undefined) option.default(spec.default);
  // one default per flag, as the docs show it: none for an empty list, the unit always
  option.defaultValueDescription = defaultShown(spec);
  if (spec.required) option.makeOptionMandatory();
  if (spec.hidden) option.hideHelp();
  return option;
}

/** The first commands to try, on the top-level help. */
const TOP_EXAMPLES = [
  'ai-route cost                                    # monthly cost of the ' +
    'seed setup as traffic grows',
  'ai-route report --format pptx --out budget.pptx  # the budget deck, charts included',
  'ai-route pricing list                            # every model, its rates and aliases',
  'ai-route decide --preset startup --volume 500M   # a recommendation, factor by factor',
  'ai-route probe --mock                            # latency percentiles, no key, no network',
];

/**
 * Why there were too many arguments, when it can be guessed: a value with a space left unquoted
 * (`--volume 5 billion`), or a volume written without its flag (`cost 500M`).
 */
function strayHint(program: Command, argv: readonly string[]): string | undefined {
  let command = program;
  let i = 0;
  for (; i < argv.length; i++) {
    const sub = command.commands.find((c) => c.name() === argv[i]);
    if (sub === undefined) break;
    command = sub;
  }
  let flag: { name: string; value: string } | undefined;
  for (; i < argv.length; i++) {
    const token = argv[i]!;
    const option = token.startsWith('-')
      ? command.options.find((o) => o.long === token || o.short === token)
      : undefined;
    if (option !== undefined && (option.required || option.optional) && i + 1 < argv.length) {
      flag = { name: token, value: argv[++i]! };
      continue;
    }
    if (token.startsWith('-')) continue;
    if (flag !== undefined && parseVolume(`${flag.value} ${token}`).ok)
      return (
        `quote a value with a space: ${flag.name} '${flag.value} ${token}' (or write ` +
        `it without one, such as 5B)`
      );
    if (command.options.some((o) => o.long === '--volume') && parseVolume(token).ok)
      return `did you mean --volume ${token}?`;
    const shown = token.includes('://') ? publicUrl(token) : token;
    return `"${shown}" is not a flag: flags start with --, and a value with spaces needs quotes`;
  }
  return undefined;
}

/**
 * A flag's line in --help: its description, then choices, its one default and whether it is
 * required.
 */
function optionHelp(option: Option): string {
  const extra: string[] = [];
  if (option.argChoices) extra.push(`choices: ${option.argChoices.join(', ')}`);
  if (option.defaultValueDescription !== undefined)
    extra.push(`default: ${option.defaultValueDescription}`);
  if (option.mandatory) extra.push('required');
  return extra.length === 0 ? option.description : `${option.description} (${extra.join('; ')})`;
}

/**
 * A command in a list of commands: a pure group takes a command, anything else options (decide's
 * are loaded only when it runs).
 */
function subcommandTerm(cmd: Command): string {
  const args = cmd.registeredArguments
    .map((a) =>
      a.required
        ? `<${a.name()}${a.variadic ? '...' : ''}>`
        : `[${a.name()}${a.variadic ? '...' : ''}]`,
    )
    .join(' ');
  const usage =
    cmd.name() === 'help'
      ? ''
      : cmd.commands.length === 0
        ? '[options]'
        : cmd.options.length === 0
          ? '<command>'
          : '[options] [command]';
  return [cmd.name(), usage, args].filter(Boolean).join(' ');
}

/**
 * Builds the commander program; every exit goes through `exitOverride`, so the caller decides
 * the code. Flags that come from data are loaded only for the command being run.
 */
export async function createProgram(
  ctx: RunContext,
  onExit: (code: number) => void,
  argv: readonly string[] = [],
): Promise<Command> {
  const say = diagnostics(ctx);
  const redact = argvRedactor(argv);
  const program = new Command('ai-route')
    .description('Choose and defend an LLM API setup with numbers you can trust.')
    .version(version(), '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .configureHelp({ optionDescription: optionHelp, subcommandTerm })
    .addHelpText(
      'after',
      `\nExamples:\n${TOP_EXAMPLES.map((e) => `  ${e}`).join('\n')}\n\n` +
        ('Exit codes: 0 ok, 1 unexpected failure, 2 usage or input error, 3 a gate ' +
          'failed, 130 interrupted.\n') +
        ('Run "ai-route <command> --help" (or "ai-route help <command> [subcommand]") ' +
          'for the flags of a command.'),
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
      outputError: (s) => {
        say.error(redact(withoutSecretArgument(s.replace(/^error: /, '').trimEnd())));
        const hint = s.includes('too many arguments') ? strayHint(program, argv) : undefined;
        if (hint !== undefined) say.error(redact(hint));
      },
    })
    .showSuggestionAfterError(true)
    .enablePositionalOptions();
  for (const spec of COMMANDS) await addCommand(program, spec, ctx, onExit, argv);
  return program;
}

/**
 * Commander's messages quote the command line: the credentials in its URLs (userinfo, query values)
 * and headers are redacted there as in every other output.
 */
function argvRedactor(argv: readonly string[]): (text: string) => string {
  const secrets = argv.flatMap((arg, i) => [
    ...(arg.includes('://') ? urlSecrets(arg) : []),
    ...(argv[i - 1] === '--header' && arg.includes(':')
      ? headerSecrets(arg.slice(arg.indexOf(':') + 1).trim())
      : []),
  ]);
  return secretRedactor(secrets);
}

/**
 * Commander's message for a refused flag value, without the value when the flag carries a secret
 * (a --header is often "Authorization: Bearer KEY").
 */
function withoutSecretArgument(message: string): string {
  return message.replace(
    /^(option '--header [^\n]*?') argument '[\s\S]*' is invalid\./,
    '$1 argument is invalid (not shown: it may hold a secret).',
  );
}

/** The rules between a command's flags, as its --help lists them. */
function rulesHelp(spec: CommandSpec, table: OptionTable): string {
  if ((spec.rules ?? []).length === 0) return '';
  return `\nRules:\n${spec.rules!.map((r) => `  ${ruleText(r, table)}`).join('\n')}\n`;
}

async function addCommand(
  parent: Command,
  entry: CommandEntry,
  ctx: RunContext,
  onExit: (code: number) => void,
  argv: readonly string[],
): Promise<void> {
  const { spec } = entry;
  const options =
    typeof spec.options === 'function'
      ? argv.includes(spec.name)
        ? await spec.options(ctx.cwd)
        : {}
      : spec.options;
  const command = parent
    .command([spec.name, ...(spec.args ?? [])].join(' '))
    .description(spec.summary)
    .addHelpText(
      'after',
      `\nExamples:\n${spec.examples.map((e) => `  ${e}`).join('\n')}\n${rulesHelp(spec, options)}`,
    )
    .exitOverride()
    .configureOutput(parent.configureOutput());
  for (const option of Object.values(options)) {
    command.addOption(toOption(option));
    if (option.negation !== undefined)
      command.addOption(new Option(`--no-${option.flags.slice(2)}`, option.negation));
  }
  // a subcommand's flags are its own: `probe merge --format json` is merge's --format, not probe's
  if ((entry.subcommands ?? []).length > 0) command.enablePositionalOptions();
  for (const sub of entry.subcommands ?? []) await addCommand(command, sub, ctx, onExit, argv);
  const run = entry.run;
  if (run === undefined) return;
  command.action(async (...received: unknown[]) => {
    const count = (spec.args ?? []).length;
    const args = received
      .slice(0, count)
      .flatMap((a) => (Array.isArray(a) ? (a as string[]) : a === undefined ? [] : [a as string]));
    const values = received[count] as Record<string, unknown>;
    const broken = brokenRule(spec.rules ?? [], values, options);
    if (broken !== undefined) throw new UsageError(ruleText(broken, options));
    // every file the command will write is checked before it does any work
    const outputs = Object.entries(options).filter(
      ([key, option]) => option.output === true && typeof values[key] === 'string',
    );
    if (outputs.length > 0) {
      const { checkOutputPath } = await import('./io/output.js');
      for (const [key, option] of outputs)
        checkOutputPath(values[key] as string, option.flags.split(/[ ,]/)[0]!, ctx.cwd);
    }
    onExit(
      await (spec.keepsWorkOnInterrupt
        ? run(args, values, ctx)
        : untilInterrupted(run(args, values, ctx), ctx.interrupted)),
    );
  });
}

/**
 * A command's result, or Interrupted as soon as Ctrl-C comes: a command with nothing to keep is
 * not waited for (a catalog that is still being read, a long validation). Results are written
 * atomically, so stopping never leaves half a file.
 */
async function untilInterrupted(work: Promise<number>, interrupted: AbortSignal): Promise<number> {
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Interrupted());
    if (interrupted.aborted) onAbort();
    else interrupted.addEventListener('abort', onAbort, { once: true });
  });
  // the work left behind when Ctrl-C wins may still fail; nobody is waiting for it any more
  work.catch(() => undefined);
  try {
    return await Promise.race([work, stopped]);
  } finally {
    interrupted.removeEventListener('abort', onAbort!);
  }
}

/**
 * `help pricing import` as `pricing import --help` (commander's help command takes one name), and
 * -V as -v.
 */
function helpArgv(argv: readonly string[]): string[] {
  if (argv[0] === 'help' && argv.length > 1) return [...argv.slice(1), '--help'];
  if (argv.length === 1 && argv[0] === '-V') return ['--version'];
  return [...argv];
}

/**
 * Parses argv, runs the command and returns its exit code; every error becomes a message and a
 * code.
 */
export async function run(argv: readonly string[], ctx: RunContext): Promise<number> {
  let exitCode: number = EXIT.ok;
  try {
    const program = await createProgram(
      ctx,
      (code) => {
        exitCode = code;
      },
      argv,
    );
    // no command is a usage error like a group without its subcommand: help on stderr, exit 2
    if (argv.length === 0) {
      program.outputHelp({ error: true });
      return EXIT.usage;
    }
    await program.parseAsync(helpArgv(argv), { from: 'user' });
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
  const say = diagnostics(ctx);
  if (err instanceof AppError) {
    for (const problem of err.problems) say.problem(problem);
    if (debug && err.stack) ctx.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  const message = err instanceof Error ? err.message : String(err);
  say.error(
    `unexpected error: ` +
      `${message.split('\n')[0]}${debug ? '' : ' (run with --debug for the stack trace)'}`,
  );
  if (debug && err instanceof Error && err.stack) ctx.stderr.write(`${err.stack}\n`);
  return EXIT.failure;
}

/**
 * Every command's option table by its name ("cost", "pricing list"): for docs and tests.
 */
export async function optionTables(cwd: string): Promise<Map<string, OptionTable>> {
  const out = new Map<string, OptionTable>();
  for (const [name, { spec }] of commandsByName())
    out.set(name, typeof spec.options === 'function' ? await spec.options(cwd) : spec.options);
  return out;
}

/** Every command's docs section: its flag table and the rules between its flags. */
export async function flagSections(cwd: string): Promise<Map<string, FlagSection>> {
  const tables = await optionTables(cwd);
  return new Map(
    [...commandsByName()].map(([name, { spec }]) => [
      name,
      { table: tables.get(name)!, rules: spec.rules ?? [] },
    ]),
  );
}

/** Every command that runs, by its full name ("cost", "pricing list"), with its spec. */
export function commandsByName(): Map<string, CommandEntry> {
  const out = new Map<string, CommandEntry>();
  const walk = (entry: CommandEntry, prefix: string): void => {
    const name = `${prefix}${entry.spec.name}`;
    if (entry.run !== undefined) out.set(name, entry);
    for (const sub of entry.subcommands ?? []) walk(sub, `${name} `);
  };
  for (const entry of COMMANDS) walk(entry, '');
  return out;
}
