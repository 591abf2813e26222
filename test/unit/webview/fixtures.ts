import type { CostReportData } from '../../../src/shared/protocol';

/** Markdown documents shaped like model answers, with the constructs that make incremental rendering hard. */
export const DOCS: Record<string, string> = {
  mixed: `# Refactor plan

The function \`parse\` does *three* things; split it.

1. Read the input
2. Validate it

3. Emit tokens — this item makes the list loose

\`\`\`ts
export function parse(src: string): Token[] {
  const out: Token[] = [];
  for (const ch of src) out.push({ ch });
  return out;
}
\`\`\`

> A quote that
lazily continues
> and ends.

| column | value |
|--------|------:|
| a      | 1     |
| b      | 2     |

Setext heading
--------------

- tight
- list
  - nested **bold**
  - with [a link](https://example.com/docs "t")

Final paragraph with an ![image](https://evil.example/x.png) and <b>raw html</b>.
`,
  fences: "Text before\n\n~~~python\ndef f(x):\n    return x * 2\n~~~\n\n```\nno language\n\n\nblank lines inside\n```\n\n    indented code\n    block\n\n```js\nunclosed fence at the end\nconsole.log(1)\n",
  lists: "- a\n- b\n\n- c\n\n1. one\n2. two\n\n\n3. three\n\n10) ten\n11) eleven\n\n* star\n+ plus\n\nparagraph\n- interrupting list\n\n2. not first\n\ntext\n***\n---\nfoo\n===\n",
  crlf: "line one\r\nline two\r\n\r\n```\r\ncode\r\n```\r\n\r\n- x\r\n- y\r\n",
  closers: "## Heading\n    indented right after a heading\n***\n    code after a rule\n```\nx\n```\n   - item indented three\n````md\n```\ninner\n```\n````\n~~~\ntilde\n~~~~\n# Last heading",
  edge: "#no heading\n#    Heading #\n\n<div>\n*raw*\n</div>\n\n[ref]: https://example.com\n\n[ref] and [x][ref]\n\nhard  \nbreak\\\nline\n\n> - quoted list\n>   continued\n\n  - indented item\n\n      deep code?\n\nlast",
};

export const META = { provider: 'openai', model: 'gpt-4.1-mini', tier: 'simple', reason: 'short selection', task: 'explain' } as const;

export function sampleReport(): CostReportData {
  const p = (key: string, cost: number) => ({ key, cost, requests: 3, inputTokens: 1000, outputTokens: 200 });
  return {
    currency: 'USD',
    generatedAt: '2026-11-27T05:00:00.000Z',
    from: '2026-11-01',
    to: '2026-11-27',
    byDay: [p('2026-11-02', 0.12), p('2026-11-01', 0.5)],
    byProvider: [p('openai', 0.4), { ...p('anthropic', 0.22), label: 'Anthropic' }],
    byModel: [p('gpt-4.1-mini', 0.4), p('claude-sonnet-4, "quoted"', 0.22)],
    byTier: [p('simple', 0.1), p('complex', 0.52)],
    byTask: [p('=explain', 0.62)],
    bySource: [{ ...p('panel', 0.5), label: 'Answer panel' }, { ...p('chat', 0.12), label: 'VS Code chat' }],
    byWorkspace: [{ ...p('a1b2c3d4e5f6', 0.5), label: 'shop' }, { ...p('(none)', 0.12), label: '(no workspace)' }],
    workspaces: [
      { key: 'a1b2c3d4e5f6', label: 'shop', current: true },
      { key: 'b1b2c3d4e5f6', label: '=HYPERLINK("http://x")<img src=x>' },
      { key: '(none)', label: '(no workspace)' },
    ],
    totals: { cost: 0.62, requests: 6, inputTokens: 2000, outputTokens: 400, cachedTokens: 500 },
    savings: { cacheTokens: 500, cacheCost: 0.01, batchTokens: 0, batchCost: 0, topTierCost: 2.1, tieringCost: 1.48, localRequests: 3, localCost: 0.05 },
  };
}

