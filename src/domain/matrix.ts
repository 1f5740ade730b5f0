import type { Origin } from './sources.js';
import type { Big } from 'big.js';

export type Side = 'startup' | 'between' | 'enterprise';

export interface MatrixAnswer {
  id: string;
  label: string;
  side: Side;
  /** A capability an option must provide, or be excluded (a hard requirement). */
  requires: string | undefined;
  /** The monthly ceiling this answer suggests (the top of a budget band), offered by the wizard. */
  ceiling: Big | undefined;
}

export interface MatrixFactor {
  id: string;
  /**
   * The id this factor had before, and what to tell someone who uses it: its old flag and answers
   * key are errors that name the new ones.
   */
  formerly: { id: string; note: string } | undefined;
  label: string;
  question: string;
  help: string;
  answers: MatrixAnswer[];
  /** answer id -> option id -> [score 0-10, reason] */
  scores: Record<string, Record<string, { score: number; reason: string }>>;
}

/**
 * A fact with where it comes from; `value` undefined means the data cannot say (unknown is not
 * false).
 */
export interface Fact<T> {
  value: T | undefined;
  source: string;
}

/** How an uptime figure is known: a contract, a published page, or not at all. */
export type UptimeBasis = 'in_writing' | 'published' | 'unknown';

export interface Uptime {
  /** Percent, such as 99.9; undefined when not known. */
  value: Big | undefined;
  basis: UptimeBasis;
  source: string;
}

/**
 * Where a tier's traffic goes and what that route provides: a provider's channel, matched by the
 * tier's base URL and a model-id prefix (Pro/ for dedicated capacity). Channels of one provider
 * share a failure domain.
 */
export interface Channel {
  id: string;
  label: string;
  provider: string;
  base_url: string;
  model_prefix: string | undefined;
  provides: Record<string, Fact<boolean>>;
  uptime: Uptime;
}

/**
 * Something every request passes through besides the providers (a gateway you run): a serial
 * dependency.
 */
export interface SetupComponent {
  label: string;
  uptime: Uptime;
}

/**
 * A conflict an option accepts on purpose: this tier (or this fallback of it) does not provide the
 * capability.
 */
export interface AcceptedConflict {
  capability: string;
  tier: string;
  /** The fallback tier it concerns; undefined for the tier itself. */
  via: string | undefined;
  why: string;
}

export interface MatrixOption {
  id: string;
  label: string;
  /** One line on what the setup is. */
  summary: string;
  scenario: string;
  components: SetupComponent[];
  accepts: AcceptedConflict[];
}

export interface MatrixPreset {
  answers: Record<string, string>;
  weights: Record<string, number>;
  volume: number;
  monthly_budget: Big | undefined;
}

export interface Matrix {
  version: string;
  source: string;
  /** The document its factors, answers and facts quote, by title and publisher. */
  reference: Origin | undefined;
  /** Capability id -> its name in tables: what a channel may provide and an answer may require. */
  capabilities: Record<string, string>;
  channels: Channel[];
  options: MatrixOption[];
  factors: MatrixFactor[];
  presets: Record<string, MatrixPreset>;
}

/** Everything a decision depends on, so that the same inputs give the same decision. */
export interface DecisionInputs {
  /** factor id -> answer id */
  answers: Record<string, string>;
  /** factor id -> importance, 0 to 5 */
  importance: Record<string, number>;
  volume: number;
  monthly_budget: Big | undefined;
  /** Seed of the random-weights draws. */
  seed: number;
}

/** Some of a decision's inputs, from one source (flags, an answers file, a preset, the wizard). */
export interface PartialInputs {
  preset?: string;
  answers: Record<string, string>;
  importance: Record<string, number>;
  volume?: number;
  monthly_budget?: Big | null;
  seed?: number;
}
