import type { Absence, MissingPrice } from '../core/cost.js';
import type { Resolution } from '../core/catalog.js';
import type { Unpriced } from '../core/decide.js';
import type { AmountFault, ImportWarning } from '../core/import/common.js';
import type { Problem } from '../domain/errors.js';
import {
  type DatedPrice,
  PRICE_COMPONENTS,
  type Quarantined,
  type Shadow,
} from '../domain/pricing.js';
import { CATALOG_SOURCES } from '../domain/sources.js';
import { DECIMAL_DIGITS } from '../units/decimal.js';
import { formatTokens, formatUsdExact, plural } from './format.js';
import { formatPath } from '../schema/issues.js';

/** The words of every problem the user is told about, written once. */

/**
 * One line per problem: `file:line:col: path: message` for a place in a file (the form editors
 * jump to), and the tool's name in front of everything else: a whole file, a flag, the run.
 */
export function formatProblem(p: Problem): string {
  const place = p.place;
  if (place?.file !== undefined) {
    const at =
      place.line === undefined
        ? `ai-route: ${place.file}`
        : `${place.file}:${place.line}:${place.col ?? 1}`;
    return place.path === undefined
      ? `${at}: ${p.message}`
      : `${at}: ${formatPath(place.path)}: ${p.message}`;
  }
  return `ai-route: ${place?.flag === undefined ? '' : `${place.flag}: `}${p.message}`;
}

/** The rates of a price in force, in a few words: "input $1.25, output $10.00". */
function ratesText(price: DatedPrice | undefined): string {
  if (price === undefined) return 'no price in force';
  const rates = PRICE_COMPONENTS.filter((c) => price.rates[c] !== undefined).map(
    (c) => `${c.replace('_', ' ')} ${formatUsdExact(price.rates[c]!)}`,
  );
  return rates.length === 0 ? 'no rates' : rates.join(', ');
}

/** Where to get a real catalog, for an unknown id on the shipped one. */
export function importHint(): string {
  const litellm = CATALOG_SOURCES[0];
  return (
    `the default prices are only those the article Enterprise vs Startup (2026) gives; ` +
    `pass --pricing litellm (LiteLLM's map, shipped), or import a current catalog ` +
    `and pass it with --pricing, e.g. ai-route pricing import --from ${litellm.id} ` +
    `${litellm.url} --out ${litellm.id}.json`
  );
}

/**
 * Why a reference did not resolve to a price, as a sentence (cost, pricing list). `shippedOnly`
 * says the catalog is the shipped one alone, so the hint is to import a real one.
 */
export function unresolvedText(
  res: Exclude<Resolution, { kind: 'priced' }>,
  context: { origin?: boolean; shippedOnly?: boolean } = {},
): string {
  if (res.kind === 'not_in_force')
    return (
      `model "${res.model.id}" has no price in force on ${res.as_of} (earliest ` +
      `${res.earliest ?? 'never'}, ${res.model.file})`
    );
  if (res.kind === 'ambiguous') {
    return (
      `"${res.ref}" names ${res.models.length} models with different prices: ` +
      `${res.models.map((m) => `${m.model.id} (${ratesText(m.price)})`).join('; ')}; ` +
      `pass one of these ids`
    );
  }
  if (res.skipped !== undefined)
    return `"${res.ref}" was skipped at import: ${res.skipped.why} (${res.skipped.file})`;
  const hint =
    res.suggestions.length > 0
      ? `; did you mean ${res.suggestions.map((s) => `"${s}"`).join(', ')}?`
      : '';
  const origin =
    (context.origin ?? true) ? ' (ids and aliases come from pricing/ and --pricing files)' : '';
  return (
    `unknown model ` +
    `"${res.ref}"${hint}${origin}${context.shippedOnly ? `; ${importHint()}` : ''}`
  );
}

/** A model a setup could not be priced for, in a few words: "X (no price in the catalog)". */
export function unpricedText(u: Unpriced): string {
  if (u.reason === 'not_in_catalog') return `${u.model} (no price in the catalog)`;
  if (u.reason === 'ambiguous') return `${u.model} (names several models with different prices)`;
  if (u.reason === 'not_in_force') return `${u.model} (no price in force on ${u.as_of})`;
  return `${u.model} (no ${u.component} price)`;
}

/** Said once per run when a later pricing file took a name over. */
export function shadowNote(s: Shadow): string {
  return (
    `"${s.name}" means ${s.now.id} from ${s.now.file}, not ${s.was.id} from ` +
    `${s.was.file} (later pricing files win)`
  );
}

/** Why a rate is not there, after "has no X price in FILE". */
export function absenceText(a: Absence): string {
  if (a.kind === 'not_given') return ' (its source lists 0, which it uses for "not known")';
  if (a.kind === 'quarantined')
    return ` (quarantined as implausible: ${a.why}; --allow-implausible takes it anyway)`;
  return '';
}

/**
 * The note under every output that priced a quarantined rate (--allow-implausible): which model,
 * which rates, what value.
 */
export function implausibleTakenNote(
  prices: ReadonlyArray<{ id: string; taken: readonly Quarantined[] }>,
  listed = 6,
): string[] {
  const taken = prices.filter((p) => p.taken.length > 0);
  if (taken.length === 0) return [];
  const each = taken
    .slice(0, listed)
    .map(
      (p) =>
        `${p.id}: ${p.taken.map((q) => `${q.component} ${formatUsdExact(q.value)}`).join(', ')}`,
    );
  return [
    `Implausible rates taken as given (--allow-implausible): ` +
      `${each.join('; ')}${taken.length > listed ? `; and ${taken.length - listed} more` : ''}.`,
  ];
}

/** Where a token mix came from: a scenario file, or the cost command's mix flags. */
export type MixSource = { file: string } | { flags: true };

/**
 * A rate the token mix needs that the catalog lacks, naming model, component and the setting that
 * needs it (missingPricesHint says how to add it).
 */
export function missingPriceText(m: MissingPrice, from: MixSource): string {
  if (m.present !== undefined)
    return (
      `${m.model}${m.tier === 'all' ? '' : ` (tier ${m.tier})`} charges ` +
      `${formatUsdExact(m.present)} per request (${m.file}), and the token mix does not say how ` +
      `many tokens a request has: set token_mix.tokens_per_request in ` +
      `${'file' in from ? from.file : 'a scenario file'}`
    );
  const setting = m.needed_by.kind === 'mix' ? m.needed_by.setting : undefined;
  const flag = setting === 'cache_hit_rate' ? '--cache-hit-rate' : '--input-share';
  const because =
    setting === undefined
      ? 'the measured usage'
      : 'flags' in from &&
          (setting === 'input' || setting === 'output' || setting === 'cache_hit_rate')
        ? `the token mix of ${flag}`
        : `token_mix.${setting}` +
          (setting === 'tokens_per_request' ? ' (the model charges per request) ' : ' ') +
          `in ${'file' in from ? from.file : 'the scenario'}`;
  return (
    `${m.model}${m.tier === 'all' ? '' : ` (tier ${m.tier})`} has no ${m.component} ` +
    `price in ${m.file}${absenceText(m.absence)}, and ${because} needs it`
  );
}

/** After the missing prices, once: how to add them; nothing when only a mix setting is missing. */
export function missingPricesHint(
  missing: readonly MissingPrice[],
  shippedOnly: boolean,
): string[] {
  return missing.some((m) => m.present === undefined) ? [pricesHint(shippedOnly)] : [];
}

function pricesHint(shippedOnly: boolean): string {
  return (
    `add them with --pricing FILE (a price the source does not give is absent, not ` +
    `zero)${shippedOnly ? `; ${importHint()}` : ''}`
  );
}

function faultText(f: AmountFault): string {
  switch (f.kind) {
    case 'not_finite':
      return `${f.text} is not a finite number`;
    case 'not_number':
      return `${f.text} is not a number`;
    case 'negative':
      return `${f.text} is negative`;
    case 'too_many_digits':
      return (
        `${f.text} needs more than ${DECIMAL_DIGITS.whole} digits before the point ` +
        `or ${DECIMAL_DIGITS.places} after, per million tokens`
      );
  }
}

/** What an importer left out or changed, naming the entry and field. */
export function importWarningText(w: ImportWarning): string {
  const who =
    w.source === 'litellm'
      ? `litellm entry "${w.entry}"`
      : w.source === 'openrouter'
        ? `openrouter model "${w.entry}"`
        : `${w.source} model "${w.entry}"`;
  switch (w.kind) {
    case 'not_object':
      return `${who}: not an object; skipped`;
    case 'no_provider':
      return `${who}: no usable litellm_provider; skipped`;
    case 'no_id':
      return `${who}: no usable id; skipped`;
    case 'router_placeholder':
      return (
        `${who}: price is the "-1" placeholder of a router model (the price depends ` +
        `on the model it picks); skipped`
      );
    case 'listed_twice':
      return `${who}: listed twice; the first is kept`;
    case 'bad_value':
      return `${who}: ${w.field}: ${faultText(w.fault)}; left out`;
    case 'implausible':
      return `${who}: ${w.field}: ${w.why}; quarantined, not priced`;
    case 'time_of_day':
      return (
        `${who}: a price for ${w.window} only (time of day); the price of the longer ` +
        `window is taken`
      );
    case 'bad_tier':
      return (
        `${who}: ${w.field}: ${w.start} is not a tier start from ${formatTokens(w.first)} ` +
        `to ${formatTokens(w.last)} tokens; tier left out`
      );
    case 'bad_discount':
      return `${who}: pricing.discount ${w.value} is not a fraction below 1; not applied`;
    case 'bad_id':
      return `${who}: id "${w.id}" has characters a pricing file does not allow; skipped`;
    case 'differs_taken':
      return `${who}: prices differ from "${w.id}" and its key is taken; skipped`;
    case 'differs_own_key':
      return `${who}: prices differ from "${w.id}"; kept under its own key`;
    case 'alias_taken':
      return `${who}: alias already names another model; imported as "${w.id}" only`;
    case 'alias_owned':
      return `openrouter: "${w.alias}" already names another model; no alias`;
  }
}

/**
 * The aliases a merge dropped, each named once with why: "3 aliases dropped by the merge:
 * gemini/x (now the id of a model of its own; was openrouter/x's), ...".
 */
export function droppedAliasesText(
  dropped: ReadonlyArray<{
    alias: string;
    model: string;
    reason: 'now_a_model' | 'held_by';
    by: string;
  }>,
): string {
  const each = dropped
    .slice(0, 5)
    .map((d) =>
      d.reason === 'now_a_model'
        ? `${d.alias} (now the id of a model of its own; was an alias of ${d.model})`
        : `${d.alias} (kept by ${d.by}, not given to ${d.model})`,
    );
  const more = dropped.length > 5 ? `; and ${dropped.length - 5} more` : '';
  return (
    `${plural(dropped.length, 'alias', 'aliases')} dropped by the merge, an exact id ` +
    `winning over an alias: ${each.join('; ')}${more}`
  );
}

/**
 * The same model priced at other providers, offered, never taken: each is its own channel with
 * its own price, so only --model picks one.
 */
export function samePricedElsewhereText(
  model: string,
  component: string,
  others: string[],
): string {
  return (
    `the catalog has ${/^[aeiou]/.test(component) ? 'an' : 'a'} ${component} price for ${model.slice(model.lastIndexOf('/') + 1)} at ` +
    `other providers (${others.join(', ')}): --model ID prices one of them, at its own price`
  );
}
