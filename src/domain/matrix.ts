import type { Big } from 'big.js';

export type Side = 'startup' | 'between' | 'enterprise';

export interface MatrixAnswer {
  id: string;
  label: string;
  side: Side;
  /** A capability an option must provide, or be excluded (a hard requirement). */
  requires: string | undefined;
}

export interface MatrixFactor {
  id: string;
  label: string;
  question: string;
  help: string;
  answers: MatrixAnswer[];
  /** answer id -> option id -> [score 0-10, reason] */
  scores: Record<string, Record<string, { score: number; reason: string }>>;
}

export interface MatrixOption {
  id: string;
  label: string;
  posture: 'startup' | 'enterprise';
  channel: string;
  scenario: string;
  provides: Record<string, boolean>;
  uptime: { value: Big; in_writing: boolean; source: string };
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
