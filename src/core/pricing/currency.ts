import type { Currency } from '../types';

/** Settings `tierwise.currency.*`. */
export interface CurrencySettings {
  /** Currency shown in the UI. */
  display: Currency;
  /** CNY per USD (setting `tierwise.currency.cnyPerUsd`). */
  cnyPerUsd: number;
}

const DEFAULT_CNY_PER_USD = 7.2;

/**
 * The display currency: the setting `tierwise.currency.display` when some scope sets it to a currency, else (unset,
 * or a value that is not a currency) by VS Code's display language: CNY for Chinese ("zh-cn", "zh-tw"…), USD for
 * every other language.
 */
export function displayCurrency(setting: string | undefined, language: string): Currency {
  if (setting === 'CNY' || setting === 'USD') return setting;
  return /^zh\b/i.test(language) ? 'CNY' : 'USD';
}

export function convert(amount: number, from: Currency, to: Currency, cnyPerUsd: number = DEFAULT_CNY_PER_USD): number {
  if (from === to) return amount;
  const rate = cnyPerUsd > 0 && Number.isFinite(cnyPerUsd) ? cnyPerUsd : DEFAULT_CNY_PER_USD;
  return from === 'USD' ? amount * rate : amount / rate;
}

export function toUsd(amount: number, currency: Currency, cnyPerUsd?: number): number {
  return convert(amount, currency, 'USD', cnyPerUsd);
}

const SYMBOL: Record<Currency, string> = { USD: '$', CNY: '¥' };

/**
 * THE money formatter (pure: the webviews bundle it too). "$1,234.56", "$0.12", "$0.0012", "¥0.0086": amounts
 * under one unit keep two significant digits (at least two decimals, at most eight), so tiny per-request costs stay
 * readable; zero is "$0.00"; CNY is always "¥". `extraDigits` adds decimals (see `moneyFormatter`).
 */
export function formatMoney(amount: number, currency: Currency, extraDigits = 0): string {
  const sym = SYMBOL[currency];
  if (!Number.isFinite(amount)) return `${sym}?`;
  const sign = amount < 0 ? '-' : '';
  const a = Math.abs(amount);
  if (a === 0) return `${sym}0.00`;
  if (a >= 1) return `${sign}${sym}${a.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: Math.min(8, 2 + extraDigits) })}`;
  if (a < 1e-8) return `${sign}<${sym}0.00000001`;
  const decimals = Math.min(8, Math.max(2, 1 - Math.floor(Math.log10(a))) + extraDigits);
  let s = a.toFixed(decimals);
  // trim trailing zeros beyond two decimals ("0.0120" → "0.012")
  s = s.replace(/(\.\d\d\d*?)0+$/, '$1');
  return `${sign}${sym}${s}`;
}

/** The extra decimals a set of amounts needs so that different amounts never print the same (at most six). */
function digitsToDiffer(amounts: readonly number[], currency: Currency): number {
  const distinct = [...new Set(amounts.filter((a) => Number.isFinite(a)))];
  for (let extra = 0; extra < 6; extra++) {
    const seen = new Map<string, number>();
    let clash = false;
    for (const a of distinct) {
      const s = formatMoney(a, currency, extra);
      const other = seen.get(s);
      if (other !== undefined && Math.abs(other - a) > 1e-12) {
        clash = true;
        break;
      }
      seen.set(s, a);
    }
    if (!clash) return extra;
  }
  return 6;
}

/**
 * A formatter for amounts that are read together (a dialog, a table, a report): each amount gets as many digits as
 * the set needs for different amounts to read differently. `currency` is a display currency; anything but "CNY"
 * is USD.
 */
export function moneyFormatter(currency: Currency | string, amounts: readonly number[] = []): (amount: number) => string {
  const cur: Currency = currency === 'CNY' ? 'CNY' : 'USD';
  const extra = digitsToDiffer(amounts, cur);
  return (amount) => formatMoney(amount, cur, extra);
}

/** Several amounts that are read together ("up to ¥0.0015 … ¥0.0014 left"), see `moneyFormatter`. */
export function formatMoneyAll(amounts: readonly number[], currency: Currency): string[] {
  const f = moneyFormatter(currency, amounts);
  return amounts.map(f);
}
