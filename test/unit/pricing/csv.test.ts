import assert from 'node:assert/strict';
import { csvField } from '../../../src/shared/costCsv';

describe('CSV cells (the one quoter, used by the cost report export)', () => {
  it('defuses every text cell a spreadsheet could read as a formula', () => {
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) {
      const cell = csvField(`${lead}HYPERLINK("http://x")`);
      const unquoted = cell.startsWith('"') ? cell.slice(1, -1).replace(/""/g, '"') : cell;
      assert.equal(unquoted[0], "'", `a cell starting with ${JSON.stringify(lead)} is defused: ${cell}`);
      assert.equal(unquoted.slice(1), `${lead}HYPERLINK("http://x")`, 'and keeps its text');
    }
  });

  it('quotes commas, quotes and line breaks (RFC 4180) and leaves plain text and numbers alone', () => {
    assert.equal(csvField('say "hi", then\nleave'), '"say ""hi"", then\nleave"');
    assert.equal(csvField('claude-sonnet-4'), 'claude-sonnet-4');
    assert.equal(csvField(0.00012), '0.00012');
    assert.equal(csvField(-1.5), '-1.5');
    assert.equal(csvField(Number.NaN), '');
    assert.equal(csvField('\r=1'), `"'\r=1"`);
  });
});
