import type { Currency } from '../types';

/** Settings `tierwise.currency.*`. */
export interface CurrencySettings {
  /** Currency shown in the UI. */
  display: Currency;
  /** CNY per USD (setting `tierwise.currency.cnyPerUsd`). */
  cnyPerUsd: number;
}

export const DEFAULT_CNY_PER_USD = 7.2;
export const DEFAULT_CURRENCY: CurrencySettings = { display: 'USD', cnyPerUsd: DEFAULT_CNY_PER_USD };

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
 * Money for display: "$1,234.56", "$0.12", "$0.0012", "¥0.0086". Amounts under one unit keep two significant
 * digits (at least two decimals, at most eight), so tiny per-request costs stay readable; zero is "$0.00".
 * `extraDigits` adds decimals (see `formatMoneyAll`).
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

/**
 * Several amounts that are read together ("up to ¥0.0015 … ¥0.0014 left"), each with as many digits as it takes
 * for different amounts to read differently (up to eight decimals).
 */
export function formatMoneyAll(amounts: readonly number[], currency: Currency): string[] {
  let out: string[] = [];
  for (let extra = 0; extra <= 6; extra++) {
    out = amounts.map((a) => formatMoney(a, currency, extra));
    let clash = false;
    for (let i = 0; i < amounts.length && !clash; i++) {
      for (let j = i + 1; j < amounts.length; j++) {
        if (out[i] === out[j] && Math.abs(amounts[i]! - amounts[j]!) > 1e-12) {
          clash = true;
          break;
        }
      }
    }
    if (!clash) return out;
  }
  return out;
}

/** Convert then format in the display currency. */
export function formatIn(amount: number, from: Currency, settings: CurrencySettings): string {
  return formatMoney(convert(amount, from, settings.display, settings.cnyPerUsd), settings.display);
}
