import * as stub from './vscodeStub';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { routingConfigFromSettings } from '../../../src/core/routing/config';
import type { SettingProblem } from '../../../src/core/settingProblems';
import type { TierwiseConfig } from '../../../src/host/config';
import type { Log } from '../../../src/host/util/log';
import type * as HostDestinations from '../../../src/host/setup/destinations';

// The reporter shows a notification and opens the settings: the stub gets those two parts of the API before the
// host module is loaded (it reads `vscode.window` and `vscode.commands` from the module it was given then).
const shown: string[] = [];
const opened: unknown[][] = [];
Object.assign(createRequire(__filename)('vscode') as object, {
  window: { showWarningMessage: async (m: string) => (shown.push(m), 'Open Settings') },
  commands: { executeCommand: async (...args: unknown[]) => void opened.push(args) },
});
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { SettingsReporter } = require('../../../src/host/setup/destinations') as typeof HostDestinations;

describe('host: invalid settings reported in the display language', () => {
  const t = stub.l10n.t;
  afterEach(() => {
    stub.l10n.t = t;
    shown.length = 0;
    opened.length = 0;
  });

  const report = (problems: SettingProblem[]) => {
    const logged: string[] = [];
    const log = { warn: (m: string) => void logged.push(m) } as unknown as Log;
    const reporter = new SettingsReporter(log);
    reporter.report({ problems, loosened: [], withheld: [], destinations: {} } as unknown as TierwiseConfig);
    return { logged, reporter };
  };

  it('formats each problem through vscode.l10n and opens the setting it carries, not one read from the text', async () => {
    stub.l10n.t = (m: string, ...args: unknown[]) => `«${t(m, ...args)}»`;
    const { problems } = routingConfigFromSettings({ tasks: { x: { tier: 'huge', system: 'Do it.' } }, fallback: { simple: ['nope'] } });
    const { logged, reporter } = report(problems);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(reporter.reported(), [
      '«tierwise.tasks.x.tier: «must be one of simple, medium, complex or auto»; ignored.»',
      '«tierwise.tasks.x: a new task needs a valid tier; task not added.»',
      '«tierwise.fallback.simple: «"nope" must look like "provider/model"»; skipped.»',
    ]);
    assert.deepEqual(logged, reporter.reported().map((p) => `settings: ${p}`));
    assert.equal(shown.length, 3);
    assert.deepEqual(opened.map((a) => a[1]), ['tierwise.tasks', 'tierwise.tasks', 'tierwise.fallback']);
  });

  it('reports the same problem once, however often the settings are read', async () => {
    const { problems } = routingConfigFromSettings({ provider: 'bedrock' });
    const logged: string[] = [];
    const reporter = new SettingsReporter({ warn: (m: string) => void logged.push(m) } as unknown as Log);
    const cfg = { problems, loosened: [], withheld: [], destinations: {} } as unknown as TierwiseConfig;
    reporter.report(cfg);
    reporter.report(cfg);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(logged, ['settings: tierwise.provider: unknown provider "bedrock"; using openai.']);
    assert.deepEqual(opened, [['workbench.action.openSettings', 'tierwise.provider']]);
  });
});
