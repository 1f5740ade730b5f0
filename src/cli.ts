import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { COST_OPTIONS } from './commands/cost-options.js';
import type { DecideOptionsCli } from './commands/decide-options.js';
import { MOCK_OPTIONS } from './commands/mock-options.js';
import { type OptionSpec, type OptionTable, type OptionsOf } from './commands/options.js';
import {
  CHECK_OPTIONS,
  DIFF_OPTIONS,
  IMPORT_OPTIONS,
  LIST_OPTIONS,
  VALIDATE_OPTIONS,
} from './commands/pricing-options.js';
import { MERGE_OPTIONS, PROBE_OPTIONS } from './commands/probe-options.js';
import { PREMORTEM_OPTIONS } from './commands/premortem-options.js';
import { REPORT_OPTIONS } from './commands/report-options.js';
import type { RunContext } from './domain/context.js';
import { AppError, EXIT, Interrupted } from './domain/errors.js';
import { diagnostics } from './io/diagnostics.js';
import { packageRoot } from './load/paths.js';
import { defaultShown } from './render/flags.js';
import { parseVolume } from './units/volume.js';

/**
 * A command as commander needs it: its help, flags and positional arguments, and the code that runs
 * it.
 */
export interface CommandEntry {
  name: string;
  /** Positional arguments in commander syntax: '<file>', '[files...]'. */
  args?: string[];
  summary: string;
  examples: string[];
  /** The flags, or a loader when they come from data (decide's come from the matrix). */
  options: OptionTable | ((ctx: RunContext) => Promise<OptionTable>);
  run?: (args: string[], options: Record<string, unknown>, ctx: RunContext) => Promise<number>;
  /**
   * It stops by itself on Ctrl-C, keeping what it has (the probe, the mock); any other command is
   * stopped where it stands.
   */
  keepsWorkOnInterrupt?: true;
  subcommands?: readonly CommandEntry[];
}

/**
 * A command whose run receives the options typed from its own table. commander fills an object
 * keyed by each option's attribute name (checked against the table keys by
 * test/cli-options.test.ts), so this is the one place that object is given its type.
 */
function command<T extends OptionTable, O = OptionsOf<T>>(
  spec: Omit<CommandEntry, 'run' | 'options'> & {
    options: T | ((ctx: RunContext) => Promise<T>);
    run: (args: string[], options: O, ctx: RunContext) => Promise<number>;
  },
): CommandEntry {
  return { ...spec, run: (args, options, ctx) => spec.run(args, options as O, ctx) };
}

const pricingCommand = async () => import('./commands/pricing.js');

/**
 * Every command of the tool: the one table help, parsing and the README's flag tables come from.
 */
export const COMMANDS: readonly CommandEntry[] = [
  command({
    name: 'cost',
    summary: 'what a routing setup costs per month as traffic grows, against a baseline',
    examples: [
      'ai-route cost                                  the default scenario: the ' +
        'seed article growth stages',
      'ai-route cost --volume 500M --volume 5B        price these monthly volumes',
      'ai-route cost --scenario hybrid --explain      three tiers, with how each figure is made',
      'ai-route cost --months 12 --growth 15          a year of 15% monthly growth, with the total',
      'ai-route cost --format markdown --out cost.md  a table for a slide or a PR comment',
      'ai-route cost --budget 1000                    exit 3 when a stage costs ' +
        'more than $1,000/month',
    ],
    options: COST_OPTIONS,
    run: async (_args, options, ctx) => (await import('./commands/cost.js')).runCost(options, ctx),
  }),
  {
    name: 'pricing',
    summary: 'list, validate, import and compare price catalogs',
    examples: [
      'ai-route pricing list --provider global-api',
      'ai-route pricing import --from litellm model_prices_and_context_window.json ' +
        '--mode chat --out litellm.json',
      'ai-route cost --pricing litellm.json --model gpt-4o --volume 5B',
      'ai-route pricing diff old.json new.json --fail-on-increase 10',
    ],
    options: {},
    subcommands: [
      command({
        name: 'list',
        summary:
          'every model with its rates per million tokens, source and effective date; ' +
          'stale prices marked',
        examples: [
          'ai-route pricing list',
          'ai-route pricing list --pricing litellm.json --provider openai --format csv',
        ],
        options: LIST_OPTIONS,
        run: async (_args, options, ctx) => (await pricingCommand()).runPricingList(options, ctx),
      }),
      command({
        name: 'validate',
        args: ['[files...]'],
        summary: 'check pricing files (default: the shipped catalog); exit 2 listing every problem',
        examples: [
          'ai-route pricing validate',
          'ai-route pricing validate my-prices.yaml litellm.json',
        ],
        options: VALIDATE_OPTIONS,
        run: async (args, _options, ctx) => (await pricingCommand()).runPricingValidate(args, ctx),
      }),
      command({
        name: 'import',
        args: ['<file|url>'],
        summary:
          'convert a catalog the ecosystem keeps (LiteLLM, OpenRouter, genai-prices, ' +
          'models.dev) into a pricing file, or merge it into one',
        examples: [
          'ai-route pricing import --from litellm ' +
            'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json ' +
            '--out litellm.json',
          'ai-route pricing import --from models.dev https://models.dev/api.json --provider ' +
            'anthropic --out anthropic.json',
          'ai-route pricing import --from litellm snapshot.json --effective-from 2026-03-01 ' +
            '--into catalog.json',
        ],
        options: IMPORT_OPTIONS,
        run: async (args, options, ctx) =>
          (await import('./commands/pricing-import.js')).runPricingImport(args[0]!, options, ctx),
      }),
      command({
        name: 'check',
        args: ['<catalogs...>'],
        summary:
          'compare catalogs on the models they share: every rate they disagree on, ' +
          "with each side's source and date",
        examples: [
          'ai-route pricing check litellm.json openrouter.json models-dev.json',
          'ai-route pricing check litellm.json genai.json --tolerance 1 --fail-on-disagreement 10',
        ],
        options: CHECK_OPTIONS,
        run: async (args, options, ctx) =>
          (await pricingCommand()).runPricingCheck(args, options, ctx),
      }),
      command({
        name: 'diff',
        args: ['<old>', '[new]'],
        summary:
          'added, removed and changed prices between two catalogs (files or directories), ' +
          'or in one catalog since a day',
        examples: [
          'ai-route pricing diff old.json new.json',
          'ai-route pricing diff pricing/ updated/ --fail-on-increase 10 --format markdown',
          'ai-route pricing diff catalog.json --since 2025-09-01 --as-of 2026-03-01',
        ],
        options: DIFF_OPTIONS,
        run: async (args, options, ctx) =>
          (await pricingCommand()).runPricingDiff(args[0]!, args[1], options, ctx),
      }),
    ],
  },
  command<OptionTable, DecideOptionsCli>({
    name: 'decide',
    summary:
      'the startup-vs-enterprise decision, scored factor by factor, priced, and exported as config',
    examples: [
      'ai-route decide                                         # the wizard, in a terminal',
      'ai-route decide --preset startup --volume 50M           # no questions: the startup answers',
      'ai-route decide --preset enterprise --sla in_writing --format adr --out ' +
        'docs/decisions/0001-llm-api.md',
      'ai-route decide --answers matrix/answers.example.yaml   # every answer ' +
        'in a file (copy the shipped example)',
      'ai-route decide --answers decision.json                 # replay a decision ' +
        'written with --format json',
      'ai-route decide --preset startup --emit litellm --out config.yaml',
    ],
    options: async (ctx) => {
      const [{ loadMatrix }, { decideOptions }] = await Promise.all([
        import('./load/matrix.js'),
        import('./commands/decide-options.js'),
      ]);
      return decideOptions((await loadMatrix(ctx.cwd)).matrix);
    },
    run: async (_args, options, ctx) =>
      (await import('./commands/decide.js')).runDecide(options, ctx),
  }),
  command({
    name: 'probe',
    summary:
      'live latency percentiles and error rates of OpenAI-compatible endpoints, with CI gates',
    examples: [
      'ai-route probe --mock                                            # a full ' +
        'run against the built-in mock, no key',
      'ai-route probe --base-url https://global-apis.com/v1 --model ' +
        'deepseek-ai/DeepSeek-V4-Flash --requests 100',
      'ai-route probe --scenario hybrid --base-url $URL --assert "ttft.p95<800ms" ' +
        '--assert "error_rate<1%"',
      'ai-route probe --mock --format junit --out probe.xml --samples samples.ndjson',
    ],
    options: PROBE_OPTIONS,
    run: async (_args, options, ctx) =>
      (await import('./commands/probe.js')).runProbeCommand(options, ctx),
    keepsWorkOnInterrupt: true,
    subcommands: [
      command({
        name: 'merge',
        args: ['<runs...>'],
        summary:
          'runs of a probe saved with --format json (from several machines, say) as ' +
          'one report, with its gates',
        examples: [
          'ai-route probe merge runner-1.json runner-2.json runner-3.json --assert "ttft.p99<2s"',
          'ai-route probe merge probe-*.json --format json --out probe.json',
        ],
        options: MERGE_OPTIONS,
        run: async (args, options, ctx) =>
          (await import('./commands/probe-merge.js')).runProbeMerge(args, options, ctx),
      }),
    ],
  }),
  command({
    name: 'premortem',
    summary:
      "the architect's six checks against a live endpoint: p99, regions, a 10x " +
      "burst, failover, the rate limit's shape, the SLA",
    examples: [
      'ai-route premortem --mock --yes                                   # every ' +
        'check against the built-in mock, no key',
      'ai-route premortem --base-url https://global-apis.com/v1 --model ' +
        'deepseek-ai/DeepSeek-V4-Flash ' +
        '--max-requests 500',
      'ai-route premortem --scenario hybrid --base-url $URL --fail-target fast ' +
        '--connect-timeout 300ms --checks failover,sla',
      'ai-route premortem --mock --format json --out premortem.json     # then: ' +
        'ai-route report --premortem premortem.json',
    ],
    options: PREMORTEM_OPTIONS,
    run: async (_args, options, ctx) =>
      (await import('./commands/premortem.js')).runPremortem(options, ctx),
    keepsWorkOnInterrupt: true,
  }),
  command({
    name: 'report',
    summary:
      'the budget deck an executive opens: cost by stage, a projection, the decision ' +
      'and latency, as PowerPoint, HTML or markdown',
    examples: [
      'ai-route report --format pptx --out budget.pptx                   # the ' +
        'seed setup as a deck, charts included',
      'ai-route report --out report.html                                 # one ' +
        'self-contained HTML file',
      'ai-route report --format md --out-dir report/                     # markdown ' +
        'with SVG charts beside it',
      'ai-route report --decision decision.json --probe probe.json --format pptx --out deck.pptx',
    ],
    options: REPORT_OPTIONS,
    run: async (_args, options, ctx) =>
      (await import('./commands/report.js')).runReport(options, ctx),
  }),
  command({
    name: 'mock',
    summary: 'a local OpenAI-compatible endpoint with a known latency and fault profile',
    examples: [
      'ai-route mock                                   # prints http://127.0.0.1:PORT/v1, ' +
        'serves until Ctrl-C',
      'ai-route mock --port 8080 --profile faults.yaml --seed 7',
      'ai-route mock --records mock-records.ndjson     # keep what it did per request',
    ],
    options: MOCK_OPTIONS,
    run: async (_args, options, ctx) => (await import('./commands/mock.js')).runMock(options, ctx),
    keepsWorkOnInterrupt: true,
  }),
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
  // one default per flag, as the README shows it: none for an empty list, the unit always
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
    return `"${token}" is not a flag: flags start with --, and a value with spaces needs quotes`;
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
        say.error(s.replace(/^error: /, '').trimEnd());
        const hint = s.includes('too many arguments') ? strayHint(program, argv) : undefined;
        if (hint !== undefined) say.error(hint);
      },
    })
    .showSuggestionAfterError(true)
    .enablePositionalOptions();
  for (const spec of COMMANDS) await addCommand(program, spec, ctx, onExit, argv);
  return program;
}

async function addCommand(
  parent: Command,
  spec: CommandEntry,
  ctx: RunContext,
  onExit: (code: number) => void,
  argv: readonly string[],
): Promise<void> {
  const command = parent
    .command([spec.name, ...(spec.args ?? [])].join(' '))
    .description(spec.summary)
    .addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  ${e}`).join('\n')}\n`)
    .exitOverride()
    .configureOutput(parent.configureOutput());
  const options =
    typeof spec.options === 'function'
      ? argv.includes(spec.name)
        ? await spec.options(ctx)
        : {}
      : spec.options;
  for (const option of Object.values(options)) command.addOption(toOption(option));
  // a subcommand's flags are its own: `probe merge --format json` is merge's --format, not probe's
  if ((spec.subcommands ?? []).length > 0) command.enablePositionalOptions();
  for (const sub of spec.subcommands ?? []) await addCommand(command, sub, ctx, onExit, argv);
  const run = spec.run;
  if (run !== undefined) {
    command.action(async (...received: unknown[]) => {
      const count = (spec.args ?? []).length;
      const args = received
        .slice(0, count)
        .flatMap((a) =>
          Array.isArray(a) ? (a as string[]) : a === undefined ? [] : [a as string],
        );
      const values = received[count] as Record<string, unknown>;
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
 * Every command's option table by its name ("cost", "pricing list"): for the README's flag tables.
 */
export async function optionTables(cwd: string): Promise<Map<string, OptionTable>> {
  const ctx = { cwd } as Pick<RunContext, 'cwd'>;
  const out = new Map<string, OptionTable>();
  const walk = async (entry: CommandEntry, prefix: string): Promise<void> => {
    const name = `${prefix}${entry.name}`;
    if (entry.run !== undefined)
      out.set(
        name,
        typeof entry.options === 'function'
          ? await entry.options(ctx as RunContext)
          : entry.options,
      );
    for (const sub of entry.subcommands ?? []) await walk(sub, `${name} `);
  };
  for (const entry of COMMANDS) await walk(entry, '');
  return out;
}
