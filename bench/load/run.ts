/**
 * Load benchmark (printed, not asserted): fifty requests started at once across OpenAI, Anthropic and DashScope,
 * queued under rate limits, inside the real VS Code extension host (code-server) against the fake provider. It
 * runs the integration test "Load: fifty requests at once" (test/integration/load.test.ts) with
 * TIERWISE_LOAD_BENCH=1, which measures the host's event-loop delay with perf_hooks.monitorEventLoopDelay while the
 * fifty run, then over an idle period of the same length as the baseline, and prints the figures and ratios.
 * The host is warmed first with one request per provider (on other models), so the figures are those of a
 * session already in use; `npm test` runs the same test cold and prints its figures too.
 * Goal: the longest stall under load < 50 ms.
 *
 *   npx tsx bench/load/run.ts
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

async function main(): Promise<void> {
  const child = spawn(process.execPath, [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'test', 'runner', 'integration.ts')], {
    cwd: root,
    env: { ...process.env, TIERWISE_TEST_GREP: 'Load: fifty requests', TIERWISE_LOAD_BENCH: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  const lines = out.split('\n').filter((l) => l.startsWith('load: '));
  if (code !== 0 || lines.length === 0) {
    console.log(out.slice(-4000));
    console.log(`the load run failed (exit code ${code})`);
    process.exitCode = 1;
    return;
  }
  console.log('Fifty requests at once in the extension host (code-server, warmed by one request per provider), fake provider at 10 requests per minute and model:');
  for (const l of lines) console.log('  ' + l.slice('load: '.length));
}

void main();
