import type { UsageFit } from '../core/usage/fit.js';
import { roundPct } from '../core/usage/growth.js';
import { USAGE_FIT_SCHEMA } from '../schema/outputs.js';
import { formatShare, formatTokens, groupThousands, plural } from './format.js';
import type { UsageView } from './usage.js';

/** What `usage fit` renders: the fit, and the sources behind it. */
export interface FitView {
  fit: UsageFit;
  sources: UsageView['sources'];
  name: string;
  baseline: string;
}

const q = (text: string) => JSON.stringify(text);

/** A tier name from a model id: lower-case letters, digits, - and _, unique in the setup. */
function tierNames(models: readonly string[]): string[] {
  const seen = new Set<string>();
  return models.map((m) => {
    const base =
      m
        .slice(m.lastIndexOf('/') + 1)
        .toLowerCase()
        .replace(/[^a-z0-9_-]+/g, '-')
        .replace(/^[^a-z]+/, '')
        .replace(/-+$/, '') || 'tier';
    let name = base;
    for (let i = 2; seen.has(name); i++) name = `${base}-${i}`;
    seen.add(name);
    return name;
  });
}

/** A token mix as YAML lines at `indent`, shares quoted. */
function mixLines(m: UsageFit['token_mix'], indent: string): string[] {
  return [
    `${indent}input: ${q(m.input.toFixed())}`,
    `${indent}output: ${q(m.output.toFixed())}`,
    `${indent}cache_hit_rate: ${q(m.cache_hit_rate.toFixed())}`,
    `${indent}cache_write_rate: ${q(m.cache_write_rate.toFixed())}`,
    `${indent}cache_write_1h_share: ${q(m.cache_write_1h_share.toFixed())}`,
    `${indent}batch_share: ${q(m.batch_share.toFixed())}`,
    `${indent}reasoning_share: ${q(m.reasoning_share.toFixed())}`,
    ...(m.tokens_per_request === null
      ? []
      : [`${indent}tokens_per_request: ${m.tokens_per_request}`]),
    ...(m.input_tokens_per_request === null
      ? []
      : [`${indent}input_tokens_per_request: ${m.input_tokens_per_request}`]),
  ];
}

/** The growth a scenario may state (parseGrowthPct's range): above -100% and at most 10,000%. */
const readable = (pct: number) => pct > -100 && pct <= 10_000;

function growthLines(view: FitView): string[] {
  const { fit } = view;
  const fitted = fit.growth;
  const g =
    'none' in fitted || readable(fitted.monthly_pct)
      ? fitted
      : {
          none:
            `the fitted ${Math.round(fitted.monthly_pct)}% a month is past the 10,000% a ` +
            'scenario states (a window too short or a launch spike?)',
        };
  if ('none' in g)
    return [
      `# No growth fitted: ${g.none}. The volume is the mean day of the usage x 30.4375 days.`,
      'stages:',
      `  - name: ${q(`Observed (${fit.first_day ?? '?'} to ${fit.last_day ?? '?'})`)}`,
      `    volume: ${q(String(fit.start_volume))}`,
    ];
  const few = g.days < 14 ? ' Fewer than 14 days: weekly seasonality biases it.' : '';
  return [
    `# Growth: ${g.method} over ${plural(g.days, 'day')} (${fit.first_day} to ${fit.last_day}` +
      `${g.zero_days > 0 ? `; ${plural(g.zero_days, 'day')} with no usage left out` : ''}): ` +
      `${roundPct(g.monthly_pct)}% a month, 80% interval ${roundPct(g.interval_80[0])}% to ` +
      `${roundPct(g.interval_80[1])}%.${few}`,
    '# start: the fitted last day x 30.4375 days (the average Gregorian month).',
    'growth:',
    `  start: ${q(String(fit.start_volume))}`,
    `  monthly_pct: ${q(roundPct(g.monthly_pct))}`,
    '  months: 12',
    `  assumption: ${q(
      `Growth fitted on ${g.days} days of usage (${fit.first_day} to ${fit.last_day}): ` +
        `${roundPct(g.monthly_pct)}% a month, 80% interval ${roundPct(g.interval_80[0])}% to ` +
        `${roundPct(g.interval_80[1])}%.`,
    )}`,
  ];
}

/** The fit as a scenario file `cost` reads, each number with a comment saying what it rests on. */
export function fitScenarioYaml(view: FitView): string {
  const { fit } = view;
  const names = tierNames(fit.tiers.map((t) => t.model));
  const files = view.sources.map((s) => s.file).join(', ');
  const lines = [
    `# Fitted by ai-route usage fit from ${files}: ${plural(fit.days, 'day')} of usage ` +
      `(${fit.first_day ?? '?'} to ${fit.last_day ?? '?'}), ` +
      `${fit.requests === null ? 'requests not counted' : plural(fit.requests, 'request')}, ` +
      `${groupThousands(String(fit.tokens))} tokens.`,
    '# Edit it: the usage shows no fallback chains, so each tier has none.',
    'schema: ai-route/scenario@1',
    `name: ${q(view.name)}`,
    `description: ${q(`Fitted from usage ${fit.first_day ?? ''} to ${fit.last_day ?? ''}`)}`,
    'setup:',
    `  label: ${q(`Observed mix (${plural(fit.tiers.length, 'model')})`)}`,
    '  tiers:',
    ...fit.tiers.flatMap((t, i) => [
      `    # ${groupThousands(String(t.tokens))} tokens of ${t.reported}` +
        `${t.model === t.reported ? '' : `, priced as ${t.model}`}` +
        `${t.priced ? '' : '; not in the catalog: add its price with --pricing'}`,
      `    ${names[i]}:`,
      `      model: ${q(t.model)}`,
      `      share: ${q(t.share.toFixed())}`,
      '      fallback: []',
      '      token_mix: # the mix of its own usage',
      ...mixLines(t.mix, '        '),
    ]),
    ...(fit.dropped.length > 0
      ? [`  # left out (their share rounds to 0): ${fit.dropped.join(', ')}`]
      : []),
    'baseline:',
    `  model: ${q(view.baseline)}`,
    `  label: ${q(`Direct ${view.baseline}`)}`,
    '# Shares of the observed tokens: input includes cached and cache-write tokens; output',
    '# includes reasoning tokens.',
    ...(fit.other_tier_tokens > 0
      ? [
          `# ${formatTokens(fit.other_tier_tokens)} tokens were of priority or flex tiers, ` +
            'priced here at the standard rates.',
        ]
      : []),
    '# The mix of all the usage, which the baseline is priced by' +
      (fit.baseline_changes.length === 0
        ? '.'
        : `, except: ${fit.baseline_changes.map((c) => BASELINE_CHANGES[c]).join('; ')}.`),
    'token_mix:',
    ...mixLines(fit.baseline_mix, '  '),
    ...fit.long_context.map(
      (l) =>
        `# ${l.model}: ${formatShare(l.share_of_requests)} of ` +
        `${plural(l.requests, 'request')} had more than ` +
        `${groupThousands(String(l.threshold))} input tokens (its long-context price)`,
    ),
    ...growthLines(view),
  ];
  return `${lines.join('\n')}\n`;
}

const BASELINE_CHANGES: Record<UsageFit['baseline_changes'][number], string> = {
  cache_writes_as_input:
    "cache writes are fresh input (the baseline's price has no cache-write rate: " +
    'OpenAI bills none)',
  batch_as_realtime: "batch traffic at realtime rates (the baseline's price has no batch rates)",
};

const mixJson = (m: UsageFit['token_mix']) => ({
  input: m.input.toFixed(),
  output: m.output.toFixed(),
  cache_hit_rate: m.cache_hit_rate.toFixed(),
  cache_write_rate: m.cache_write_rate.toFixed(),
  cache_write_1h_share: m.cache_write_1h_share.toFixed(),
  batch_share: m.batch_share.toFixed(),
  reasoning_share: m.reasoning_share.toFixed(),
  tokens_per_request: m.tokens_per_request,
  input_tokens_per_request: m.input_tokens_per_request,
});

/** `ai-route/usage-fit@1`: shares as exact decimal strings, growth as percentages. */
export function fitJson(view: FitView): string {
  const { fit } = view;
  const g = fit.growth;
  const m = fit.token_mix;
  return `${JSON.stringify(
    {
      schema: USAGE_FIT_SCHEMA,
      first_day: fit.first_day ?? null,
      last_day: fit.last_day ?? null,
      sources: view.sources,
      requests: fit.requests,
      tokens: fit.tokens,
      growth:
        'none' in g
          ? { monthly_pct: null, interval_80: null, method: null, days: fit.days, why: g.none }
          : {
              monthly_pct: Number(roundPct(g.monthly_pct)),
              interval_80: g.interval_80.map((v) => Number(roundPct(v))),
              method: g.method,
              days: g.days,
              zero_days: g.zero_days,
            },
      start_volume: fit.start_volume,
      token_mix: mixJson(m),
      baseline_token_mix: mixJson(fit.baseline_mix),
      baseline_changes: fit.baseline_changes,
      tiers: fit.tiers.map((t) => ({
        model: t.model,
        reported: t.reported,
        share: t.share.toFixed(),
        tokens: t.tokens,
        token_mix: mixJson(t.mix),
      })),
      dropped: fit.dropped,
      long_context: fit.long_context.map((l) => ({
        model: l.model,
        threshold: l.threshold,
        share_of_requests: l.share_of_requests.toFixed(),
        requests: l.requests,
      })),
    },
    null,
    2,
  )}\n`;
}
