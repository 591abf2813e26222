/**
 * Standard VS Code extension test entry: VS Code calls `run()` inside the extension host.
 * Works the same under @vscode/test-electron (desktop) and under code-server (test/runner/integration.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import { orderSuites } from '../helpers/order';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  const grep = process.env.TIERWISE_TEST_GREP;
  if (grep) mocha.grep(grep);
  const dir = __dirname;
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(dir, f));
  }
  // TIERWISE_TEST_ORDER=reverse|shuffle:<seed> runs the suites in another order (test/helpers/order.ts).
  await mocha.loadFilesAsync();
  console.log(`integration: suites in ${orderSuites(mocha.suite, process.env.TIERWISE_TEST_ORDER)}`);
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  // A line the CI log reader understands, whatever the reporter prints.
  console.log(`integration: ${mocha.suite.total()} tests, ${failures} failed`);
  if (failures > 0) throw new Error(`${failures} integration test(s) failed`);
}
