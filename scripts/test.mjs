// `npm test`: every check, in order, stopping at the first failure.
//   lint → type check → unit tests (plain node) → integration tests (inside VS Code) → end-to-end UI tests (the .vsix in VS Code)
import { spawnSync } from 'node:child_process';

const steps = [
  ['lint (ESLint)', 'npx', ['eslint', 'src', 'test', 'bench', 'scripts']],
  ['type check (tsc --noEmit)', 'npx', ['tsc', '--noEmit', '-p', '.']],
  ['unit tests (mocha, plain node)', 'npx', ['mocha']],
  ['integration tests (mocha inside the VS Code extension host, code-server)', 'npx', ['tsx', 'test/runner/integration.ts']],
  ['end-to-end tests (the packaged .vsix in code-server, driven by Chromium)', 'npx', ['tsx', 'test/runner/e2e.ts']],
];
const only = process.env.TIERWISE_TEST_ONLY?.split(',');
const started = Date.now();
const timings = [];
for (const [name, cmd, args] of steps) {
  if (only && !only.some((o) => name.startsWith(o))) continue;
  console.log(`\n=== ${name}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  timings.push(`${name}: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (r.status !== 0) {
    console.error(`\n✗ ${name} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}
console.log(`\n${timings.join('\n')}\n✓ all checks passed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
