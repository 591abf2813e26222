// `npm test`: every check, in order, stopping at the first failure.
//   lint → type check → unit tests (plain node) → integration tests (inside VS Code) → end-to-end UI tests (the .vsix in VS Code)
import { spawn } from 'node:child_process';

const steps = [
  ['lint (ESLint)', 'npx', ['eslint', 'src', 'test', 'bench', 'scripts']],
  ['type check (tsc --noEmit)', 'npx', ['tsc', '--noEmit', '-p', '.']],
  ['unit tests (mocha, plain node)', 'npx', ['mocha']],
  ['integration tests (mocha inside the VS Code extension host, code-server)', 'npx', ['tsx', 'test/runner/integration.ts']],
  ['end-to-end tests (the packaged .vsix in code-server, driven by Chromium)', 'npx', ['tsx', 'test/runner/e2e.ts']],
];

/** Runs a step, passing its output through and counting mocha's "N passing" / "N failing" lines. */
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['inherit', 'pipe', 'pipe'] });
    const counts = { passed: 0, failed: 0 };
    let tail = '';
    const scan = (chunk) => {
      const text = tail + chunk.toString();
      const lines = text.split('\n');
      tail = lines.pop() ?? '';
      for (const line of lines) {
        const p = /^\s*(\d+) passing\b/.exec(line);
        const f = /^\s*(\d+) failing\b/.exec(line);
        if (p) counts.passed += Number(p[1]);
        if (f) counts.failed += Number(f[1]);
      }
    };
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      scan(d);
    });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), counts }));
  });
}

const only = process.env.TIERWISE_TEST_ONLY?.split(',');
const started = Date.now();
const timings = [];
const total = { passed: 0, failed: 0 };
let exitCode = 0;
for (const [name, cmd, args] of steps) {
  if (only && !only.some((o) => name.startsWith(o))) continue;
  console.log(`\n=== ${name}`);
  const t0 = Date.now();
  const { code, counts } = await run(cmd, args);
  total.passed += counts.passed;
  total.failed += counts.failed;
  timings.push(`${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (code !== 0) {
    console.error(`\n✗ ${name} failed (exit ${code})`);
    exitCode = code || 1;
    if (counts.failed === 0) total.failed += 1;
    break;
  }
}
console.log(`\n${timings.join('\n')}`);
if (exitCode === 0) console.log(`✓ all checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
// The closing line: tests passed and failed over every layer.
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(exitCode);
