/**
 * Integers and dates in VS Code's display language, through Intl. English keeps Tierwise's own formats
 * ("1,234", ISO days "2026-12-07", "2026-12-07 10:30"); other languages get theirs ("2026年12月7日").
 * Money is not here: it has one formatter for every language (`formatMoney` in core/pricing/currency.ts).
 *
 * Pure TypeScript, shared by host and browser bundles: nothing here may import 'vscode'.
 */

/** Whether the language keeps Tierwise's English formats (also when it is not a usable tag). */
export function isEnglish(language: string): boolean {
  return !usable(language) || /^en\b/i.test(language);
}

function usable(language: string): boolean {
  try {
    return language !== '' && Intl.getCanonicalLocales(language).length === 1;
  } catch {
    return false;
  }
}

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(language: string): Intl.NumberFormat {
  const tag = isEnglish(language) ? 'en-US' : language;
  let f = numberFormats.get(tag);
  if (!f) numberFormats.set(tag, (f = new Intl.NumberFormat(tag, { maximumFractionDigits: 0 })));
  return f;
}

function dateFormat(language: string, kind: 'day' | 'shortDay' | 'time'): Intl.DateTimeFormat {
  const key = `${language}|${kind}`;
  let f = dateFormats.get(key);
  if (!f) {
    // UTC, as the ISO days and times the report is given are.
    const options: Intl.DateTimeFormatOptions =
      kind === 'day'
        ? { year: 'numeric', month: 'long', day: 'numeric', timeZone: 'UTC' }
        : kind === 'shortDay'
          ? { month: 'long', day: 'numeric', timeZone: 'UTC' }
          : { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' };
    dateFormats.set(key, (f = new Intl.DateTimeFormat(language, options)));
  }
  return f;
}

/** A whole number: "1,234" (English), "1.234" (German). */
export function formatInteger(n: number, language: string): string {
  return numberFormat(language).format(Math.round(n));
}

/** A date from an ISO day or timestamp, or undefined when it is not one. */
function parseDate(iso: string): Date | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(iso)) return undefined;
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** An ISO day (YYYY-MM-DD): as it is in English, "2026年12月7日" in Chinese. Anything else is shown as it is. */
export function formatDay(iso: string, language: string): string {
  const d = isEnglish(language) ? undefined : parseDate(iso);
  return d ? dateFormat(language, 'day').format(d) : iso;
}

/** An ISO day without its year, for a chart axis: "12-07" in English, "12月7日" in Chinese. */
export function formatShortDay(iso: string, language: string): string {
  const d = isEnglish(language) ? undefined : parseDate(iso);
  return d ? dateFormat(language, 'shortDay').format(d) : iso.slice(5);
}

/** An ISO timestamp to the minute (UTC): "2026-12-07 10:30" in English, "2026年12月7日 10:30" in Chinese. */
export function formatTimestamp(iso: string, language: string): string {
  const d = isEnglish(language) ? undefined : parseDate(iso);
  return d ? dateFormat(language, 'time').format(d) : iso.slice(0, 16).replace('T', ' ');
}
