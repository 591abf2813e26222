/**
 * The page's words and formats: the strings and display language the host put into the root element's
 * `data-locale` (see `src/shared/protocol/strings.ts`), read once by the page's entry with `loadPageLocale`.
 * Until then, and whenever the page says nothing usable, everything is English.
 */
import { ENGLISH_LOCALE, WEBVIEW_STRINGS, formatTemplate, parsePageLocale, type PageLocale, type WebviewStringId } from '../shared/protocol/strings';
import { formatDay, formatInteger, formatShortDay, formatTimestamp } from '../shared/format';

export type { WebviewStringId } from '../shared/protocol/strings';

let locale: PageLocale = ENGLISH_LOCALE;

/** Use this locale for everything the page shows from now on (tests; `loadPageLocale` in the page). */
export function setPageLocale(l: PageLocale): void {
  locale = l;
}

/** Read the locale from the element's `data-locale` (English when it is missing or malformed) and use it. */
export function loadPageLocale(el: Element | null | undefined): PageLocale {
  const l = parsePageLocale(el?.getAttribute('data-locale'));
  setPageLocale(l);
  return l;
}

/** The page's display language (a BCP 47 tag). */
export function pageLanguage(): string {
  return locale.language;
}

/** The string `id` in the page's language, with `{0}`, `{1}`… replaced by `args`. */
export function s(id: WebviewStringId, ...args: (string | number)[]): string {
  return formatTemplate(locale.strings[id] ?? WEBVIEW_STRINGS[id], args);
}

/** A whole number in the page's language ("1,234"). */
export const int = (n: number): string => formatInteger(n, locale.language);
/** An ISO day in the page's language ("2026-12-07"; "2026年12月7日"). */
export const day = (iso: string): string => formatDay(iso, locale.language);
/** An ISO day without the year, for an axis ("12-07"; "12月7日"). */
export const shortDay = (iso: string): string => formatShortDay(iso, locale.language);
/** An ISO timestamp to the minute ("2026-12-07 10:30"). */
export const timestamp = (iso: string): string => formatTimestamp(iso, locale.language);
