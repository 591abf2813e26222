import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const read = (p: string) => readFileSync(path.join(root, p), 'utf8');

/** Real source code (TypeScript, JavaScript) from the repository and its dependencies. */
export function codeSample(): string {
  return [
    read('src/core/clock.ts'),
    read('node_modules/js-tiktoken/dist/lite.cjs'),
    read('node_modules/typescript/lib/lib.es5.d.ts').slice(0, 60_000),
    read('esbuild.mjs'),
  ].join('\n');
}

/** English prose (package READMEs). */
export function proseSample(): string {
  return [read('node_modules/mocha/README.md'), read('node_modules/yaml/README.md'), read('node_modules/typescript/README.md')].join('\n\n');
}

export const CJK = `通义千问是阿里云研发的超大规模语言模型，能够回答问题、创作文字，还能表达观点、撰写代码。
  它支持多轮对话，并且可以处理长文本。
東京は日本の首都であり、世界で最も人口の多い都市圏の一つです。ひらがなとカタカナ、漢字が混ざっています。
한국어 문장도 포함합니다. 서울은 대한민국의 수도입니다.
    混合 mixed 文本 text 123456 和 emoji 😀🎉 以及全角字符 ＡＢＣ１２３！
/// 注释 comment
}
// 另一个注释
`;

/** Long whitespace runs, tabs, CRLF, trailing spaces, indentation before code and slashes. */
export function whitespaceSample(): string {
  const parts: string[] = [];
  for (let i = 0; i < 60; i++) {
    parts.push(' '.repeat(i % 17) + 'line ' + i + ' '.repeat((i * 7) % 40));
    parts.push('\t'.repeat(i % 5) + '// comment ' + i);
    parts.push('\r\n'.repeat(i % 3) + '}' + '\n'.repeat(i % 4) + '/* block */');
    parts.push(' '.repeat(200 + i) + '\n\n\n' + '\u00a0\u3000 x');
    parts.push('\n' + ' '.repeat(i) + '\n' + '/path/to/' + i);
  }
  return parts.join('\n');
}

/** Deterministic pseudo-random numbers for reproducible random edits. */
export { mulberry32 as rng } from '../../helpers/random';
