/**
 * The order of a mocha run's top-level suites, to show that they pass in any order: each suite sets up and cleans
 * up what it needs. `spec`: unset or "name" (file order), "reverse", or "shuffle:<seed>".
 */
import type Mocha from 'mocha';
import { mulberry32, shuffled } from './random';

export function orderSuites(root: Mocha.Suite, spec: string | undefined): string {
  const suites = root.suites;
  if (!spec || spec === 'name') return 'file order';
  let next: Mocha.Suite[];
  if (spec === 'reverse') next = [...suites].reverse();
  else {
    const m = /^shuffle:(\d+)$/.exec(spec);
    if (!m) throw new Error(`order "${spec}": use name, reverse or shuffle:<seed>`);
    next = shuffled(suites, mulberry32(Number(m[1])));
  }
  suites.splice(0, suites.length, ...next);
  return `${spec}: ${next.map((s) => JSON.stringify(s.title)).join(', ')}`;
}
