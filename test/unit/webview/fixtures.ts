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
  edge: "#no heading\n#    Heading #\n\n<div>\n*raw*\n</div>\n\n[ref]: https://example.com\n\n[ref] and [x][ref]\n\nhard  \nbreak\\\nline\n\n> - quoted list\n>   continued\n\n  - indented item\n\n      deep code?\n\nlast",
};
