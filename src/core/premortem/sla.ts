import type { Channel } from '../../domain/matrix.js';
import type { SlaEvidence, SlaRoute } from '../../domain/premortem.js';
import { channelOf } from '../setup-check.js';

/**
 * The decision matrix has no figure for service credits: said, with where to put it, never assumed.
 */
const NO_CREDITS = 'not in the decision matrix: add the service credits your contract gives';

/**
 * What the decision data says about the uptime of each route the traffic takes (each tier at its
 * production base URL): the figure, whether it is in writing or only published, and the source of
 * each. A route on no channel of the matrix has no figure at all.
 */
export function slaEvidence(
  routes: ReadonlyArray<{ tier: string; model: string; base_url: string | undefined }>,
  channels: readonly Channel[],
  matrixFile: string,
): SlaEvidence {
  const rows: SlaRoute[] = routes.map((r) => {
    const c = channelOf(channels, r.base_url, r.model);
    if (c === undefined) {
      return {
        tier: r.tier,
        model: r.model,
        channel: null,
        uptime_pct: null,
        basis: 'unknown',
        source: `no channel of the decision matrix serves ${r.base_url ?? '(no base URL)'}`,
        sla_in_writing: null,
        sla_source: null,
        credits: null,
        credits_source: NO_CREDITS,
      };
    }
    const writing = c.provides.sla_in_writing;
    return {
      tier: r.tier,
      model: r.model,
      channel: c.id,
      uptime_pct: c.uptime.value === undefined ? null : c.uptime.value.toFixed(),
      basis: c.uptime.basis,
      source: c.uptime.source,
      sla_in_writing: writing?.value ?? null,
      sla_source: writing?.source ?? null,
      credits: null,
      credits_source: NO_CREDITS,
    };
  });
  return { routes: rows, matrix: matrixFile };
}
