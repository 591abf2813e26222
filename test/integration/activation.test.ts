import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'tierwise.tierwise';

suite('Activation', () => {
  test('the extension is present and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  test('activation carries no OpenTelemetry: the SDK is in dist/telemetry.js, required only once export is on', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const main = readFileSync(path.join(ext.extensionPath, 'dist', 'extension.js'), 'utf8');
    // A string of the SDK's own (it survives minifying): in the lazy bundle, not in the activation bundle.
    const sdk = 'BatchSpanProcessor: span export failed';
    assert.ok(!main.includes(sdk), 'dist/extension.js holds the OpenTelemetry SDK');
    const lazy = readFileSync(path.join(ext.extensionPath, 'dist', 'telemetry.js'), 'utf8');
    assert.ok(lazy.includes(sdk), 'dist/telemetry.js holds the SDK');
  });

  test('its commands are registered', async () => {
    const all = await vscode.commands.getCommands(true);
    const ours = all.filter((c) => c.startsWith('tierwise.'));
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { commands: { command: string }[] } };
    for (const { command } of pkg.contributes.commands) {
      assert.ok(ours.includes(command), `command ${command} is contributed but not registered`);
    }
  });
});
