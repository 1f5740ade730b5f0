import { GROWTH_SPEC } from '../units/percent.js';
import { countSpec } from '../units/spec.js';
import { COST_OPTIONS } from './cost-spec.js';
import {
  DEBUG_OPTION,
  conflicts,
  worded,
  oneOf,
  needs,
  needsOneOf,
  defineCommand,
  type OptionsOf,
  SHARED,
  defineOptions,
  repeatable,
  unit,
} from './options.js';

/** The report's formats: one deck, drawn three ways. */
export const REPORT_FORMATS = ['pptx', 'html', 'markdown'] as const;

/** The report command's flags: the cost flags that choose what is priced, then the report's own. */
export const REPORT_OPTIONS = defineOptions({
  scenario: COST_OPTIONS.scenario,
  usage: {
    ...COST_OPTIONS.usage,
    description:
      'the deck of the usage in this file (as cost --usage): observed vs projected, with the ' +
      'P10 to P90 range of the fitted growth shaded; repeatable',
  },
  model: COST_OPTIONS.model,
  volume: COST_OPTIONS.volume,
  pricing: SHARED.pricing,
  allowImplausible: SHARED.allowImplausible,
  inputShare: COST_OPTIONS.inputShare,
  cacheHitRate: COST_OPTIONS.cacheHitRate,
  baseline: COST_OPTIONS.baseline,
  asOf: SHARED.asOf,
  logScale: SHARED.logScale,
  months: {
    flags: '--months <n>',
    description: 'months of the projection slide',
    parse: unit(countSpec(1, 120, 'a whole number of months')),
    default: 12,
  },
  growth: {
    flags: '--growth <pct>',
    description:
      "month-over-month growth of the projection, in percent, from the first stage's volume",
    parse: unit(GROWTH_SPEC),
    defaultText: "the scenario's growth, else 0",
  },
  decision: {
    flags: '--decision <file>',
    description:
      'a decision saved by ai-route decide --format json: its recommendation, ' +
      'reasons, conflicts and each setup',
  },
  preset: {
    flags: '--preset <name>',
    description: 'or decide here, from a preset of answers (as decide --preset)',
    choices: ['startup', 'enterprise'] as const,
  },
  answers: {
    flags: '--answers <file>',
    description: 'or decide here, from an answers file (as decide --answers)',
  },
  probe: {
    flags: '--probe <file>',
    description: 'a run saved by ai-route probe --format json: its latency by target; repeatable',
    parse: repeatable((v: string) => v),
    default: [] as string[],
  },
  premortem: {
    flags: '--premortem <file>',
    description:
      'a pre-mortem saved by ai-route premortem --format json: its checklist, verdict by verdict',
  },
  format: SHARED.format(
    REPORT_FORMATS,
    'html',
    'pptx (PowerPoint, native charts), html (one self-contained file) or markdown (md; ' +
      'charts as SVG files in --out-dir)',
  ),
  out: { ...SHARED.out, description: 'write the report to FILE (required for pptx)' },
  outDir: {
    flags: '--out-dir <dir>',
    description: 'for markdown: the folder for report.md and its SVG charts',
  },
  debug: DEBUG_OPTION,
});

export type ReportOptionsCli = OptionsOf<typeof REPORT_OPTIONS>;

/** The `report` command in one place: what it is for, examples, flags and their rules. */
export const REPORT_SPEC = defineCommand({
  name: 'report',
  summary:
    'the budget deck an executive opens: cost by stage, a projection, the decision ' +
    'and latency, as PowerPoint, HTML or markdown',
  examples: [
    'ai-route report --format pptx --out budget.pptx                   # the ' +
      'default setup as a deck, charts included',
    'ai-route report --out report.html                                 # one ' +
      'self-contained HTML file',
    'ai-route report --format md --out-dir report/                     # markdown ' +
      'with SVG charts beside it',
    'ai-route report --decision decision.json --probe probe.json --format pptx --out deck.pptx',
    'ai-route report --usage usage.csv --pricing litellm --out usage.html  # observed vs ' +
      'projected, P10 to P90',
  ],
  options: REPORT_OPTIONS,
  rules: [
    oneOf(['decision', 'preset', 'answers'], 'each give the decision'),
    conflicts('usage', 'scenario', 'fits the scenario from the usage'),
    conflicts('usage', 'growth', 'fits the growth from the usage'),
    conflicts('usage', 'volume', 'starts from the volume of the last day observed'),
    worded(needs(['format', 'pptx'], 'out'), '--format pptx writes a file: pass --out report.pptx'),
    worded(
      needs('outDir', ['format', 'markdown']),
      '--out-dir is for --format md (the charts are files beside the markdown)',
    ),
    worded(
      needsOneOf(['format', 'markdown'], ['out', 'outDir']),
      '--format md writes its charts as SVG files beside it: pass --out-dir DIR (or --out FILE.md)',
    ),
    oneOf(['out', 'outDir'], 'both name where the report goes'),
  ],
});
