import type { RunContext } from '../domain/context.js';
import { EXIT, UsageError } from '../domain/errors.js';
import {
  CHECK_IDS,
  type CheckId,
  type CheckResult,
  type PremortemPlan,
  type PremortemReport,
} from '../domain/premortem.js';
import type { BreakerSettings, ProbeTarget } from '../domain/probe.js';
import type { Scenario } from '../domain/scenario.js';
import { premortemPasses, slaCheck } from '../core/premortem/checks.js';
import { planChecks } from '../core/premortem/plan.js';
import { slaEvidence } from '../core/premortem/sla.js';
import { routesOf } from '../core/setup-check.js';
import { priceRun } from '../core/probe/cost.js';
import { publicUrl } from '../core/redact.js';
import { checkUrl, tierTarget } from '../core/probe/targets.js';
import { renderContext } from '../io/color.js';
import { diagnostics, inCI } from '../io/diagnostics.js';
import { type EndpointSession, withEndpointSession } from '../io/endpoint-session.js';
import { writeResult } from '../io/output.js';
import { loadMatrix } from '../load/matrix.js';
import { loadPricing } from '../load/pricing.js';
import { loadScenario } from '../load/scenario.js';
import { PREMORTEM_RENDERERS } from '../render/premortem-formats.js';
import { planLines } from '../render/premortem.js';
import { isoDay } from '../units/date.js';
import { type Big, Dec } from '../units/decimal.js';
import type { SpendMeter } from '../io/premortem/run.js';
import { breakerOf } from './options.js';
import type { PremortemOptionsCli } from './premortem-spec.js';

/**
 * Prompt tokens a request of the plan is priced at: the prompt at four characters a token, plus the
 * chat framing.
 */
function promptTokens(prompt: string): number {
  return Math.ceil(prompt.length / 4) + 8;
}

/** Flags that only make sense together, checked before anything is loaded or sent. */
function checkFlags(opts: PremortemOptionsCli): void {
  if (!opts.mock && opts.baseUrl === undefined && opts.scenario === undefined)
    throw new UsageError(
      'nothing to review: pass --base-url URL with --model ID, --scenario NAME, or --mock',
    );
}

/** What the run is planned to cost, and the price of any one answer's tokens (for --max-cost). */
interface RunCost {
  total: Big | undefined;
  perRequest: Big | undefined;
  note: string | null;
  priceOf: ((input: number, output: number) => Big | undefined) | undefined;
}

/**
 * The plan's cost at the catalog's prices: the prompt's tokens and max_tokens for every request
 * (an upper bound on output, an estimate of input).
 */
function planCost(
  requests: number,
  model: string,
  opts: PremortemOptionsCli,
  catalog: Parameters<typeof priceRun>[1],
  asOf: string,
): RunCost {
  const input = promptTokens(opts.prompt);
  const price = (tokensIn: number, tokensOut: number, n: number) =>
    priceRun(
      [
        {
          target: model,
          model,
          input: tokensIn,
          output: tokensOut,
          requests: n,
          input_known: true,
          estimated: true,
        },
      ],
      catalog,
      asOf,
      1,
    ).targets[0]!.cost;
  const total = price(input * requests, opts.maxTokens * requests, requests);
  if (total === undefined)
    return {
      total: undefined,
      perRequest: undefined,
      note: `${model} has no price in the catalog`,
      priceOf: undefined,
    };
  return {
    total,
    perRequest: price(input, opts.maxTokens, 1),
    note: null,
    priceOf: (tokensIn, tokensOut) => price(tokensIn, tokensOut, 1),
  };
}

/**
 * --max-cost kept on real spend: each answer costs the usage it reports; one that reports none is
 * priced at its plan (prompt and max_tokens) or at the tokens it streamed when more, and counted as
 * estimated; a request refused before any token (a 429, a 5xx) is billed nothing by providers.
 */
function spendMeter(bound: Big, cost: RunCost, promptEstimate: number): SpendMeter | undefined {
  const { perRequest, priceOf } = cost;
  if (perRequest === undefined || priceOf === undefined || perRequest.eq('0')) return undefined;
  return {
    bound,
    planned: perRequest,
    costOf(r) {
      if (r.usage_tokens === undefined && r.token_times.length === 0 && r.error_class !== undefined)
        return { cost: Dec('0'), estimated: false };
      const input = r.usage_prompt_tokens ?? promptEstimate;
      if (r.usage_tokens !== undefined)
        return {
          cost: priceOf(input, r.usage_tokens) ?? perRequest,
          estimated: r.usage_prompt_tokens === undefined,
        };
      const streamed = priceOf(input, r.token_times.length) ?? perRequest;
      return { cost: streamed.gt(perRequest) ? streamed : perRequest, estimated: true };
    },
  };
}

/** Asks before sending, only where someone can answer: a terminal, not CI, not --yes. */
async function confirmed(opts: PremortemOptionsCli, ctx: RunContext): Promise<boolean> {
  if (opts.yes === true || !ctx.stdinIsTTY || !ctx.stderr.isTTY || inCI(ctx.env)) return true;
  const prompter = await (
    ctx.prompter ?? (async () => (await import('../io/prompter.js')).inquirerPrompter())
  )();
  const answer = await prompter.select({
    name: 'run',
    message: 'Send these requests?',
    choices: [
      { name: 'yes, run the pre-mortem', value: 'yes' },
      { name: 'no', value: 'no' },
    ],
    default: 'yes',
  });
  return answer === 'yes';
}

/**
 * Where the requests go: the model, the primary target, and the regions to compare it with (itself
 * first).
 */
function targetsOf(
  opts: PremortemOptionsCli,
  sc: Scenario | undefined,
  mock: { url: string; regions: Record<string, string> } | undefined,
): { override: string | undefined; model: string; target: ProbeTarget; regions: ProbeTarget[] } {
  const override =
    mock?.url ?? (opts.baseUrl === undefined ? undefined : checkUrl(opts.baseUrl, '--base-url'));
  if (opts.failTarget !== undefined && !sc!.setup.tiers.some((t) => t.name === opts.failTarget))
    throw new UsageError(
      `--fail-target ${opts.failTarget}: no such tier in ${sc!.name}; tiers: ` +
        `${sc!.setup.tiers.map((t) => t.name).join(', ')}`,
    );
  const model = opts.model ?? sc?.setup.tiers[0]?.model ?? (opts.mock ? 'mock' : undefined);
  if (model === undefined) throw new UsageError('--model ID: the model to call at --base-url');
  const baseURL =
    override ??
    (sc === undefined ? undefined : tierTarget(sc, sc.setup.tiers[0]!.name, undefined).baseURL);
  if (baseURL === undefined) throw new UsageError('--base-url URL: where to send the requests');
  const target: ProbeTarget = { name: 'primary', model, baseURL };
  const regionUrls = [
    ...opts.region.map((r) => ({ name: r.name, url: checkUrl(r.url, `--region ${r.name}`) })),
    ...Object.entries(mock?.regions ?? {}).map(([name, url]) => ({ name, url })),
  ];
  const regions =
    regionUrls.length === 0
      ? []
      : [target, ...regionUrls.map((r) => ({ name: r.name, model, baseURL: r.url }))];
  return { override, model, target, regions };
}

/**
 * The plan printed first: each check's bound, the total in requests, seconds and dollars, and the
 * run's own bounds.
 */
function makePlan(
  opts: PremortemOptionsCli,
  x: {
    checks: Set<CheckId>;
    regions: number;
    breaker: BreakerSettings;
    model: string;
    catalog: Parameters<typeof priceRun>[1];
    asOf: string;
    wantsTraffic: boolean;
  },
): { plan: PremortemPlan; cost: ReturnType<typeof planCost> } {
  const planned = planChecks({
    checks: x.checks,
    requests: opts.requests,
    concurrency: opts.concurrency,
    regions: x.regions,
    burst: {
      baseRate: opts.baseRate,
      multiplier: BURST_MULTIPLIER,
      baselineMs: opts.baselineDuration,
      burstMs: opts.burstDuration,
    },
    drillRequests: opts.failTarget === undefined ? undefined : opts.drillRequests,
    connectMs: opts.connectTimeout,
    breakerMinRequests: x.breaker.min_requests,
    ramp: {
      baseRate: opts.baseRate,
      maxRate: opts.rampMaxRate,
      stepMs: opts.rampStep,
      saturateMs: opts.saturate,
    },
  });
  const requests = Math.min(
    opts.maxRequests,
    planned.reduce((n, c) => n + c.requests, 0),
  );
  const cost = planCost(requests, x.model, opts, x.catalog, x.asOf);
  if (opts.maxCost !== undefined && cost.perRequest === undefined && x.wantsTraffic)
    throw new UsageError(
      `--max-cost ${opts.maxCost.toFixed()}: ${cost.note}, so the spend cannot ` +
        `be kept under it (add its price with --pricing, or leave out --max-cost)`,
    );
  const plan: PremortemPlan = {
    checks: planned,
    requests,
    duration_s: Math.min(
      Math.ceil(opts.maxDuration / 1000),
      planned.reduce((n, c) => n + c.duration_s, 0),
    ),
    cost_usd: cost.total === undefined ? null : cost.total.toFixed(4),
    cost_note: cost.note,
    limits: {
      max_requests: opts.maxRequests,
      max_duration_s: opts.maxDuration / 1000,
      max_cost_usd: opts.maxCost?.toFixed() ?? null,
    },
  };
  return { plan, cost };
}

/** What the live checks are run with, resolved by runPremortem. */
interface TrafficInput {
  session: EndpointSession;
  sc: Scenario | undefined;
  override: string | undefined;
  target: ProbeTarget;
  regions: ProbeTarget[];
  checks: Set<CheckId>;
  breaker: BreakerSettings;
  cost: RunCost;
}

/** The failover drill's settings: the scenario's chains, and its tiers' targets for a drill. */
function failoverSettings(opts: PremortemOptionsCli, t: TrafficInput) {
  const sc = t.sc;
  if (sc === undefined) return undefined;
  return {
    tiers: sc.setup.tiers.map((tier) => ({ name: tier.name, chain: tier.fallback })),
    targets:
      opts.failTarget === undefined
        ? []
        : sc.setup.tiers.map((tier) => tierTarget(sc, tier.name, t.override)),
    failTarget: opts.failTarget,
    drillRequests: opts.drillRequests,
    budgetMs: opts.failoverBudget,
  };
}

/**
 * The checks that send requests, inside the run's bounds: what they found, how many were sent, and
 * where the run stopped.
 */
async function runTraffic(
  opts: PremortemOptionsCli,
  ctx: RunContext,
  t: TrafficInput,
): Promise<{
  checks: CheckResult[];
  sent: number;
  stopped: PremortemReport['stopped'];
  spend: PremortemReport['spend'];
}> {
  const say = diagnostics(ctx);
  const { Budget, runLiveChecks } = await import('../io/premortem/run.js');
  const meter =
    opts.maxCost === undefined
      ? undefined
      : spendMeter(opts.maxCost, t.cost, promptTokens(opts.prompt));
  const budget = new Budget(opts.maxRequests, opts.maxDuration, meter);
  const failover = failoverSettings(opts, t);
  try {
    const live = await runLiveChecks(
      {
        checks: t.checks,
        target: t.target,
        regions: t.regions,
        requests: opts.requests,
        concurrency: opts.concurrency,
        prompt: opts.prompt,
        maxTokens: opts.maxTokens,
        stream: opts.stream,
        deadlines: {
          connect_ms: opts.connectTimeout,
          ttft_ms: opts.ttftTimeout,
          idle_ms: opts.idleTimeout,
          total_ms: opts.timeout,
        },
        retries: opts.retries,
        maxRetryWaitMs: opts.maxRetryWait,
        ttftBudgetMs: opts.p99Budget,
        e2eBudgetMs: opts.e2eP99Budget,
        burst: {
          baseRate: opts.baseRate,
          multiplier: BURST_MULTIPLIER,
          baselineMs: opts.baselineDuration,
          burstMs: opts.burstDuration,
        },
        breaker: t.breaker,
        failover,
        ramp: {
          baseRate: opts.baseRate,
          maxRate: opts.rampMaxRate,
          stepMs: opts.rampStep,
          saturateMs: opts.saturate,
        },
        seed: opts.seed,
      },
      await t.session.transport(),
      budget,
      ctx.interrupted,
      ctx.stderr.isTTY ? (id) => say.info(`premortem: ${id} ...`) : undefined,
    );
    const spend =
      meter === undefined
        ? null
        : {
            bound_usd: meter.bound.toFixed(),
            spent_usd: budget.spent.toFixed(6),
            estimated_answers: budget.estimated,
          };
    return { checks: live.checks, sent: budget.sent, stopped: live.stopped ?? null, spend };
  } finally {
    budget.close();
  }
}

/** The article's burst: ten times the baseline. */
const BURST_MULTIPLIER = 10;

/** The SLA check: each tier at its production base URL, as decide routes it. */
async function slaResult(
  opts: PremortemOptionsCli,
  ctx: RunContext,
  sc: Scenario | undefined,
  model: string,
): Promise<CheckResult> {
  const { matrix, file } = await loadMatrix(ctx.cwd);
  // the fallbacks are tiers too
  const routes =
    sc === undefined
      ? [{ tier: 'primary', model, base_url: opts.baseUrl }]
      : routesOf(sc, matrix.channels).filter((r) => r.via === undefined);
  return slaCheck(slaEvidence(routes, matrix.channels, file));
}

/** Scenario, targets, prices and the plan: everything known before a request is sent. */
async function prepare(opts: PremortemOptionsCli, session: EndpointSession) {
  const { ctx, inputs } = session;
  const scenario =
    opts.scenario === undefined ? undefined : await loadScenario(opts.scenario, ctx.cwd);
  if (scenario !== undefined) inputs.push(scenario.doc.abs);
  const sc = scenario?.scenario;
  const targets = targetsOf(opts, sc, session.mock);
  session.addUrls([targets.target.baseURL, ...targets.regions.map((r) => r.baseURL)]);
  const pricing = await loadPricing(opts.pricing, ctx.cwd, {
    allowImplausible: opts.allowImplausible === true,
  });
  inputs.push(...pricing.inputs);
  const checks = new Set<CheckId>(opts.checks);
  const breaker = breakerOf(opts, sc?.breaker);
  const { plan, cost } = makePlan(opts, {
    checks,
    regions: targets.regions.length,
    breaker,
    model: targets.model,
    catalog: pricing.catalog,
    asOf: opts.asOf ?? isoDay(ctx.now()),
    wantsTraffic: wantsTraffic(opts),
  });
  return { sc, ...targets, checks, breaker, plan, cost };
}

const wantsTraffic = (opts: PremortemOptionsCli) => opts.checks.some((c) => c !== 'sla');

/**
 * `ai-route premortem`: the architect's six checks against a live endpoint, plan first, inside its
 * bounds; exit 3 on a failed check.
 */
export async function runPremortem(opts: PremortemOptionsCli, raw: RunContext): Promise<number> {
  checkFlags(opts);
  const keyNeeded = wantsTraffic(opts);
  const urls = opts.region.map((r) => r.url);
  return withEndpointSession(opts, raw, { who: 'premortem', keyNeeded, urls }, async (session) => {
    const { ctx } = session;
    const say = diagnostics(ctx);
    const p = await prepare(opts, session);
    const reportTarget = {
      base_url: publicUrl(p.target.baseURL),
      model: p.model,
      scenario: p.sc?.name ?? null,
    };
    for (const line of planLines(p.plan, reportTarget)) say.info(line);
    if (!(await confirmed(opts, ctx))) {
      say.info('premortem: nothing sent');
      return EXIT.ok;
    }
    const results: CheckResult[] = [];
    if (p.checks.has('sla')) results.push(await slaResult(opts, ctx, p.sc, p.model));
    let sent = 0;
    let stopped: PremortemReport['stopped'] = null;
    let spend: PremortemReport['spend'] = null;
    if (keyNeeded) {
      const live = await runTraffic(opts, ctx, { session, ...p });
      results.push(...live.checks);
      ({ sent, stopped, spend } = live);
    }
    const order = (c: CheckResult) => CHECK_IDS.indexOf(c.id);
    const report: PremortemReport = {
      target: reportTarget,
      plan: p.plan,
      checks: results.sort((a, b) => order(a) - order(b)),
      stopped,
      requests_sent: sent,
      spend,
      fail_on: opts.failOn,
    };
    const render = PREMORTEM_RENDERERS[opts.format];
    const text = await render(report, renderContext(ctx, opts.out !== undefined));
    await writeResult(session.redact(text), opts.out, session.inputs, ctx);
    for (const c of report.checks) if (c.verdict === 'fail') say.error(`premortem: ${c.id} failed`);
    if (ctx.interrupted.aborted) return EXIT.interrupted;
    return premortemPasses(report.checks, opts.failOn) ? EXIT.ok : EXIT.gate;
  });
}
