import { JSDOM } from 'jsdom';

/** A fresh browser-like window for one test. */
export function makeWindow(html = '<!doctype html><html><body></body></html>'): Window & typeof globalThis {
  return new JSDOM(html, { pretendToBeVisual: true }).window as unknown as Window & typeof globalThis;
}
