import { availableParallelism } from 'node:os';
import { NO_LOAD, clientVerdict } from '../core/probe/client.js';
import { resolve } from 'node:path';
import { priceRun, spentTokens } from '../core/probe/cost.js';
import { compareWithBaseline } from '../core/probe/regression.js';
import { evaluate, summarize, summarizeDrill } from '../core/probe/summary.js';
import type { RunContext } from '../domain/context.js';
import { EXIT, UsageError } from '../domain/errors.js';
import { reportGates, runFailures } from '../views/probe-gates.js';
import { publicUrl } from '../core/redact.js';
import { checkUrl, scenarioTargets } from '../core/probe/targets.js';
import { type Failover, type ProbePlan, type ProbeRun, type ProbeTarget } from '../domain/probe.js';
import type { Scenario } from '../domain/scenario.js';
import { renderContext } from '../io/color.js';
import { diagnostics } from '../io/diagnostics.js';
import { type EndpointSession, withEndpointSession } from '../io/endpoint-session.js';
import { writeResult } from '../io/output.js';
import { loadPricing } from '../load/pricing.js';
import { loadScenario } from '../load/scenario.js';
import { printable } from '../render/format.js';
import { type ProbeReport, pass } from '../render/probe.js';
import { loadSavedProbe } from '../load/saved-probe.js';
import { PROBE_RENDERERS } from '../render/probe-formats.js';
import { isoDay } from '../units/date.js';
import { breakerOf } from './options.js';
import type { ProbeOptionsCli } from './probe-spec.js';

async function targetsOf(
  opts: ProbeOptionsCli,
  ctx: RunContext,
  mockUrl: string | undefined,
): Promise<{ targets: ProbeTarget[]; inputs: string[]; scenario: Scenario | undefined }> {
  const override =
    mockUrl ?? (opts.baseUrl === undefined ? undefined : checkUrl(opts.baseUrl, '--base-url'));
  const targets: ProbeTarget[] = [];
  const inputs: string[] = [];
  let loaded: Scenario | undefined;
  if (opts.scenario !== undefined) {
    const { scenario, doc } = await loadScenario(opts.scenario, ctx.cwd);
    loaded = scenario;
    inputs.push(doc.abs);
    targets.push(...scenarioTargets(scenario, override));
  }
  for (const model of opts.model) {
    if (override === undefined)
      throw new UsageError(`--model ${model}: also pass --base-url URL (or --mock)`);
    targets.push({ name: model, model, baseURL: override });
  }
  if (targets.length === 0 && mockUrl !== undefined)
    targets.push({ name: 'mock', model: 'mock', baseURL: mockUrl });
  if (targets.length === 0)
    throw new UsageError(
      'nothing to probe: pass --model ID with --base-url URL, --scenario FILE, or --mock',
    );
  const names = new Set<string>();
  for (const t of targets) {
    if (names.has(t.name))
      throw new UsageError(
        `target "${t.name}" is named twice; each --model and tier must be distinct`,
      );
    names.add(t.name);
  }
  return { targets, inputs, scenario: loaded };
}

/** The drill's tiers and breaker: flags win over the scenario, which wins over the defaults. */
function failoverOf(opts: ProbeOptionsCli, scenario: Scenario): Failover {
  return {
    tiers: scenario.setup.tiers.map((t) => ({
      name: t.name,
      share: Number(t.share.toFixed()),
      chain: t.fallback,
    })),
    breaker: breakerOf(opts, scenario.breaker),
    seed: opts.seed,
  };
}

/** Flags that only make sense together. */
function checkModes(opts: ProbeOptionsCli, cwd: string): void {
  if (
    opts.out !== undefined &&
    opts.samples !== undefined &&
    resolve(cwd, opts.out) === resolve(cwd, opts.samples)
  )
    throw new UsageError('--out and --samples name the same file');
}

function planOf(
  opts: ProbeOptionsCli,
  targets: ProbeTarget[],
  scenario: Scenario | undefined,
): ProbePlan {
  return {
    targets,
    requests: opts.requests,
    concurrency: opts.concurrency,
    warmup:
      opts.warmup ??
      (opts.rate === undefined ? opts.concurrency : Math.max(1, Math.ceil(opts.rate / 2))),
    warmupMustPass: opts.warmupMustPass === true,
    retries: opts.retries,
    maxRetryWaitMs: opts.maxRetryWait,
    prompt: opts.prompt,
    maxTokens: opts.maxTokens,
    stream: opts.stream,
    deadlines: {
      connect_ms: opts.connectTimeout,
      ttft_ms: opts.ttftTimeout,
      idle_ms: opts.idleTimeout,
      total_ms: opts.timeout,
    },
    open:
      opts.rate === undefined
        ? undefined
        : {
            rate: opts.rate,
            arrivals: opts.arrivals,
            duration_ms: opts.duration,
            seed: opts.seed,
            max_in_flight: opts.maxInFlight,
          },
    failover: opts.failover && scenario !== undefined ? failoverOf(opts, scenario) : undefined,
  };
}

/** A progress bar on stderr when it is a terminal. */
function progressBar(
  ctx: RunContext,
): ((label: string, done: number, total: number, failed: number) => void) | undefined {
  if (!ctx.stderr.isTTY) return undefined;
  return (label, done, total, failed) => {
    const width = 24;
    const filled = Math.round((done / Math.max(1, total)) * width);
    ctx.stderr.write(
      `\r\x1b[Kprobe ${printable(label)} ` +
        `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` +
        `${done}/${total}${failed > 0 ? ` ${failed} failed` : ''}`,
    );
  };
}

/** Everything the run reads before it sends a request: baseline, targets, plan and prices. */
async function prepare(opts: ProbeOptionsCli, session: EndpointSession) {
  const { ctx, inputs } = session;
  const baseline =
    opts.baseline === undefined ? undefined : await loadSavedProbe(opts.baseline, ctx.cwd);
  if (baseline !== undefined) inputs.push(baseline.abs);
  if (opts.assert.some((a) => a.relative) && baseline === undefined)
    throw new UsageError(
      'an assertion reads baseline: pass --baseline FILE (a saved --format json run)',
    );
  const { targets, inputs: scenarioInputs, scenario } = await targetsOf(opts, ctx, session.mockUrl);
  inputs.push(...scenarioInputs);
  session.addUrls(targets.map((t) => t.baseURL));
  for (const a of opts.assert) {
    if (a.target !== undefined && !targets.some((t) => t.name === a.target))
      throw new UsageError(
        `--assert ${a.text}: no target "${a.target}"; targets: ` +
          `${targets.map((t) => t.name).join(', ')}`,
      );
  }
  const pricing = await loadPricing(opts.pricing, ctx.cwd, {
    allowImplausible: opts.allowImplausible === true,
  });
  inputs.push(...pricing.inputs);
  return { baseline, plan: planOf(opts, targets, scenario), catalog: pricing.catalog };
}

/** The report of a finished run: summaries, cost, assertions, baseline and failed gates. */
function reportOf(
  opts: ProbeOptionsCli,
  ctx: RunContext,
  prepared: Awaited<ReturnType<typeof prepare>>,
  run: ProbeRun,
): ProbeReport {
  const { plan, baseline } = prepared;
  const summaries = summarize(plan, run).map((s) => ({ ...s, base_url: publicUrl(s.base_url) }));
  const client = clientVerdict(run.client ?? NO_LOAD, summaries);
  const saturated = client.saturated || baseline?.client?.saturated === true;
  const minEffect = Number(opts.minEffect.toFixed());
  const asOf = opts.asOf ?? isoDay(ctx.now());
  return {
    plan: {
      ...plan,
      targets: plan.targets.map((t) => ({ ...t, baseURL: publicUrl(t.baseURL) })),
    },
    merged_from: undefined,
    summaries,
    drill: summarizeDrill(plan, run),
    cap: run.cap,
    cost: {
      ...priceRun(spentTokens(run), prepared.catalog, asOf, opts.runsPerMonth),
      runs_per_month: opts.runsPerMonth,
    },
    assertions: evaluate(opts.assert, summaries, baseline?.summaries),
    baseline:
      baseline === undefined
        ? undefined
        : {
            file: opts.baseline!,
            min_effect_pct: minEffect,
            comparisons: compareWithBaseline(baseline.summaries, summaries, minEffect, saturated),
          },
    failures: run.interrupted ? [] : runFailures(summaries, plan.warmupMustPass),
    client,
    strict_client: opts.strictClient === true,
    interrupted: run.interrupted,
  };
}

/** The result, the samples and the gates, written where they were asked for. */
async function writeOutputs(
  opts: ProbeOptionsCli,
  session: EndpointSession,
  report: ProbeReport,
  run: ProbeRun,
): Promise<void> {
  const { ctx, redact, inputs } = session;
  const rendered = await PROBE_RENDERERS[opts.format](
    report,
    renderContext(ctx, opts.out !== undefined),
  );
  await writeResult(redact(rendered), opts.out, inputs, ctx);
  if (opts.samples !== undefined)
    await writeResult(
      redact((await import('../render/probe-json.js')).renderSamples(run)),
      opts.samples,
      inputs,
      ctx,
      '--samples',
    );
  await reportGates(report, ctx, redact);
  if (run.cap.missed > 0)
    diagnostics(ctx).warn(
      `the client fell behind its schedule: ${run.cap.missed} sends not made, ` +
        `so the offered rate was not reached (lower --rate, or run probes in parallel ` +
        `and merge them)`,
    );
}

/**
 * `ai-route probe`: measure, summarise, gate. Exit 3 on a failed gate (a target that never
 * succeeded, a regression, an assertion), 130 after Ctrl-C.
 */
export async function runProbeCommand(opts: ProbeOptionsCli, raw: RunContext): Promise<number> {
  checkModes(opts, raw.cwd);
  // what to probe first, then the key: a missing target is the first thing to fix
  if (!opts.mock && opts.model.length === 0 && opts.scenario === undefined)
    throw new UsageError(
      'nothing to probe: pass --model ID with --base-url URL, --scenario NAME, or --mock',
    );
  if (!opts.mock && opts.scenario === undefined && opts.baseUrl === undefined)
    throw new UsageError(`--model ${opts.model[0]}: also pass --base-url URL (or --mock)`);
  return withEndpointSession(opts, raw, { who: 'probe', keyNeeded: true }, async (session) => {
    const prepared = await prepare(opts, session);
    const { runProbeParallel } = await import('../io/probe/workers.js');
    const { ctx } = session;
    const progress = progressBar(ctx);
    const workers = opts.workers ?? availableParallelism();
    const run = await runProbeParallel(
      prepared.plan,
      session.workerClient(),
      workers,
      ctx.interrupted,
      progress,
    );
    if (progress) ctx.stderr.write('\r\x1b[K');
    const report = reportOf(opts, ctx, prepared, run);
    await writeOutputs(opts, session, report, run);
    if (run.interrupted) return EXIT.interrupted;
    return pass(report) ? EXIT.ok : EXIT.gate;
  });
}
