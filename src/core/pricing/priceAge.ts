/**
 * How old the prices in use are: the newer of the built-in catalogue's date and the applied price list's. Past 60 days
 * Tierwise offers "Update Prices…" (the offer fetches nothing; only the command does, after asking). Pure: the day is
 * a parameter.
 */

/** Past this many days the prices in use are offered an update. */
export const PRICES_STALE_AFTER_DAYS = 60;

const DAY_MS = 24 * 60 * 60 * 1000;

function dayMs(date: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return undefined;
  const t = Date.parse(`${date}T00:00:00Z`);
  return Number.isFinite(t) ? t : undefined;
}

export interface PricesAge {
  /** The date of the prices in use (YYYY-MM-DD). */
  date: string;
  /** Whole days from that date to `now`. */
  days: number;
  /** Older than `PRICES_STALE_AFTER_DAYS`: worth updating. */
  stale: boolean;
}

/**
 * The age of the catalogue in use on `now` (ms): the newer of `builtInDate` and `listDate` (the price list applied by
 * Update Prices, if any). undefined when neither is a date.
 */
export function pricesAge(builtInDate: string, listDate: string | undefined, now: number, staleAfterDays = PRICES_STALE_AFTER_DAYS): PricesAge | undefined {
  const dates = [builtInDate, listDate].filter((d): d is string => typeof d === 'string' && dayMs(d) !== undefined).sort();
  const date = dates.at(-1);
  if (!date) return undefined;
  const days = Math.max(0, Math.floor((now - dayMs(date)!) / DAY_MS));
  return { date, days, stale: days > staleAfterDays };
}
