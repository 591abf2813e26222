import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CATALOGUE, english, fill, formatMessage, msg } from '../../src/core/messages';

const root = path.join(__dirname, '..', '..');

describe('Message catalogue', () => {
  it('fills placeholders in order, and leaves a missing one visible', () => {
    assert.equal(fill('{0} of {1}', ['a', 2]), 'a of 2');
    assert.equal(fill('{1} before {0}', ['x', 'y']), 'y before x');
    assert.equal(fill('{0} and {1}', ['a']), 'a and {1}');
  });

  it('formats nested messages first, in the same language', () => {
    const inner = msg('common.joined', 'a', ', ', 'b');
    const outer = msg('common.joined', inner, ' | ', 'c');
    assert.equal(english(outer), 'a, b | c');
    const upper = formatMessage(outer, (t, args) => fill(t, args).toUpperCase());
    assert.equal(upper, 'A, B | C');
  });

  it('every template numbers its placeholders from {0} without gaps', () => {
    for (const [id, template] of Object.entries(CATALOGUE) as [string, string][]) {
      const used = [...new Set([...template.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
      assert.deepEqual(used, used.map((_, i) => i), `${id}: ${template}`);
    }
  });

  it('no two ids share a template unless they mean the same (the bundle is keyed by template)', () => {
    const seen = new Map<string, string>();
    const dupes: string[] = [];
    for (const [id, template] of Object.entries(CATALOGUE) as [string, string][]) {
      const other = seen.get(template);
      if (other) dupes.push(`${other} and ${id}: ${template}`);
      seen.set(template, id);
    }
    assert.deepEqual(dupes, []);
  });

  it('the English bundle holds every template (run `npm run l10n` after adding one)', () => {
    const bundle = JSON.parse(readFileSync(path.join(root, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
    const missing = (Object.values(CATALOGUE) as string[]).filter((t) => !(t in bundle));
    assert.deepEqual(missing, []);
  });

  it('the arguments are typed by the template', () => {
    // @ts-expect-error common.joined takes three arguments
    msg('common.joined', 'a', 'b');
    assert.ok(true);
  });
});
