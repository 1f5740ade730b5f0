import type { ChalkInstance } from 'chalk';

/**
 * What a renderer may ask of the run: a chalk for terminal colour (loaded only by the table
 * format).
 */
export interface RenderContext {
  chalk(): Promise<ChalkInstance>;
  /** The columns a table format fits; undefined: lines are not wrapped (a file, a pipe). */
  width?: number | undefined;
  /** A format that leads with a summary gives everything instead (decide --detail). */
  detail?: boolean;
}

/** One output format: data in, text out. */
export type Renderer<T> = (input: T, ctx: RenderContext) => string | Promise<string>;

/** A command's formats: the keys are its --format choices, in help order. */
export type Registry<T, K extends string = string> = Readonly<Record<K, Renderer<T>>>;

/** The --format choices of a registry, in its order. */
export function formatsOf<K extends string>(registry: Readonly<Record<K, unknown>>): K[] {
  return Object.keys(registry) as K[];
}
