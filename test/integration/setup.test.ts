import * as assert from 'node:assert/strict';
import { REASONING_ROOM_TOKENS } from '../../src/core/providers/reasoning';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import { fakeRequests, fakeReset, fakeUrl, openFixture, setting, shownFix, tierwise, until } from './helpers';
import { FAKE_MODELS, textTokens } from '../fake-provider/server';

/** A stand-in for Ollama on its own port: its model listing only (GET /api/tags; /v1/models lists nothing). */
async function fakeOllama(models: string[]): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = path === '/api/tags' ? { models: models.map((name) => ({ name })) } : path === '/v1/models' ? { object: 'list', data: [] } : undefined;
    res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? { error: 'not found' }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function gateway(cfg: { costUsd?: number; spend?: number; maxBudget?: number } | undefined): Promise<void> {
  await fetch(`${fakeUrl()}/__fake/gateway`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(cfg ?? null) });
}

suite('Check Setup and local servers', () => {
  setup(fakeReset);

  test('Check Setup: a provider with its key passes every check against the fake; a missing key is a problem with its fix', async () => {
    const app = await tierwise();
    await app.keys.set('openai', 'sk-test-setup-0123456789abcdef');
    await app.keys.clear('anthropic');
    await setting('routing.policy', 'perTier');
    await setting('routing.perTier', { simple: 'openai', medium: 'openai', complex: 'anthropic' });
    try {
      const results = await app.setup.check();
      const openai = results.find((r) => r.provider === 'openai')!;
      assert.ok(openai, results.map((r) => r.provider).join(', '));
      assert.deepEqual(openai.items.map((i) => [i.area, i.state]), [['key', 'ok'], ['endpoint', 'ok'], ['models', 'ok'], ['latency', 'ok']]);
      assert.ok(openai.latencyMs !== undefined && openai.latencyMs >= 0);
      const reqs = await fakeRequests();
      assert.ok(reqs.some((r) => r.method === 'GET' && r.path === '/v1/models' && r.headers.authorization === 'Bearer sk-test-setup-0123456789abcdef'), 'models listed with the key');
      const tiny = reqs.find((r) => r.path === '/v1/chat/completions')!;
      assert.equal((tiny.body as { max_tokens?: number; max_completion_tokens?: number }).max_tokens ?? (tiny.body as { max_completion_tokens: number }).max_completion_tokens - REASONING_ROOM_TOKENS, 1, 'the latency call asks for one token');
      const anthropic = results.find((r) => r.provider === 'anthropic')!;
      assert.equal(anthropic.ok, false);
      const key = anthropic.items.find((i) => i.area === 'key')!;
      assert.equal(key.state, 'problem');
      assert.deepEqual(shownFix(key.fix), { title: 'Set API Key', command: 'tierwise.setApiKey', args: ['anthropic'] });
      // The local endpoint (the fake on loopback) needs no key and is free.
      const local = results.find((r) => r.provider === 'openaiCompatible');
      if (local) assert.equal(local.items[0]!.state, 'info');
    } finally {
      await setting('routing.policy', undefined);
      await setting('routing.perTier', undefined);
    }
  });

  test('finds local servers on the configured ports, assigns a model to every tier, and its calls are free', async () => {
    const app = await tierwise();
    const ollama = await fakeOllama(['llama3.2:latest', 'phi4-mini']);
    const fakePort = Number(new URL(fakeUrl()).port);
    const before = {
      provider: vscode.workspace.getConfiguration('tierwise').inspect('provider')?.globalValue,
      baseUrl: vscode.workspace.getConfiguration('tierwise').inspect('providers.openaiCompatible.baseUrl')?.globalValue,
    };
    try {
      await setting('local.ports', { ollama: ollama.port, lmstudio: fakePort, llamacpp: 9, vllm: 7 });
      const found = await app.setup.discover();
      assert.deepEqual(
        found.map((f) => [f.kind.id, f.models]),
        [
          ['ollama', ['llama3.2:latest', 'phi4-mini']],
          ['lmstudio', [...FAKE_MODELS.openai, ...FAKE_MODELS.openaiCompatible]],
        ],
      );
      const ok = await vscode.commands.executeCommand<boolean>('tierwise.findLocalModels', { baseUrl: `http://127.0.0.1:${fakePort}/v1`, model: 'qwen2.5-coder:7b', use: 'all' });
      assert.equal(ok, true);
      const c = vscode.workspace.getConfiguration('tierwise');
      assert.equal(c.inspect('provider')?.globalValue, 'openaiCompatible', 'written to user settings');
      assert.equal(c.inspect('providers.openaiCompatible.baseUrl')?.globalValue, `http://127.0.0.1:${fakePort}/v1`);
      for (const t of ['simple', 'medium', 'complex']) assert.equal(c.inspect(`tiers.openaiCompatible.${t}`)?.globalValue, 'qwen2.5-coder:7b');

      await fakeReset();
      const ledgerBefore = app.services.ledger().all().length;
      const editor = await openFixture('notes.md');
      editor.selection = new vscode.Selection(2, 0, 3, 60);
      await vscode.commands.executeCommand('tierwise.explain');
      const rec = await until('a ledger record', () => app.services.ledger().all()[ledgerBefore]);
      assert.equal(rec.provider, 'openaiCompatible');
      assert.equal(rec.model, 'qwen2.5-coder:7b');
      assert.equal(rec.costUsd, 0, 'a local call is free');
      assert.equal(rec.costSource, 'local');
      const answer = await until('the answer to end', () => {
        const a = app.panel.latest();
        return a?.outcome ? a : undefined;
      });
      assert.equal(answer.live.cost, 'free (local model)');
      await until('the status bar to say free', () => app.statusBar.text.includes('free (local)') && app.statusBar.text);
      // The local server counts the selection itself (POST /tokenize): an exact count, said so.
      const selected = `${textTokens(editor.document.getText(editor.selection)).toLocaleString('en-US')} tok`;
      await until('the server count of the selection', () => app.statusBar.tooltipText.includes('exact (counted by the server)') && app.statusBar.text.includes(selected)).catch((e: Error) => {
        throw new Error(`${e.message}; the status bar reads: ${app.statusBar.text}`);
      });
      assert.ok(!app.statusBar.text.includes('≈'), 'not marked as an estimate');
    } finally {
      await ollama.close();
      await setting('local.ports', undefined);
      await setting('provider', before.provider);
      await setting('providers.openaiCompatible.baseUrl', before.baseUrl);
      for (const t of ['simple', 'medium', 'complex']) await setting(`tiers.openaiCompatible.${t}`, undefined);
    }
  });

  test('a gateway that reports the cost of a call (x-litellm-response-cost) is recorded as gateway-reported', async () => {
    const app = await tierwise();
    await gateway({ costUsd: 0.00123, spend: 8.5, maxBudget: 10 });
    await setting('provider', 'openaiCompatible');
    try {
      const before = app.services.ledger().all().length;
      const editor = await openFixture('notes.md');
      editor.selection = new vscode.Selection(2, 0, 3, 60);
      await vscode.commands.executeCommand('tierwise.runTask', 'extractKeywords');
      const rec = await until('a ledger record', () => app.services.ledger().all()[before]);
      assert.equal(rec.costSource, 'gateway');
      assert.ok(Math.abs(rec.costUsd - 0.00123) < 1e-12, String(rec.costUsd));
      const answer = await until('the answer to end', () => {
        const a = app.panel.latest();
        return a?.outcome ? a : undefined;
      });
      assert.match(String(answer.live.cost), /reported by the gateway/);
      // The key's budget from /key/info, in the status bar tooltip, with a warning past 80%.
      await app.statusBar.refreshGateway();
      assert.match(app.statusBar.tooltipText, /\$\(warning\) Gateway key: \$8\.50 of \$10\.00 spent \(85%\), over 80% of its budget/);
      assert.ok((await fakeRequests()).some((r) => r.path === '/key/info'), 'asked the gateway for the key budget');
    } finally {
      await gateway(undefined);
      await setting('provider', 'openai');
    }
  });

  test('a gateway model is priced at the list price its name maps to, labelled so, and the label follows the gateway’s reported cost', async () => {
    const app = await tierwise();
    // A gateway on a host of its own (not loopback); nothing is sent to it here: the labels are what is checked.
    await setting('provider', 'openaiCompatible');
    await setting('providers.openaiCompatible.baseUrl', 'http://gateway.tierwise-test.invalid/v1');
    await setting('tiers.openaiCompatible.simple', 'openai/gpt-4o-mini');
    await setting('tiers.openaiCompatible.medium', 'dashscope/qwen-plus');
    await setting('tiers.openaiCompatible.complex', 'team-llm');
    try {
      const editor = await openFixture('notes.md');
      editor.selection = new vscode.Selection(2, 0, 3, 60);
      // Settings apply without a reload: the tooltip's price column follows them.
      // Each of the three settings changes re-renders the tooltip: wait for the one that shows all three.
      const tip = await until('the gateway labels in the tooltip', () => (/list price of openai\/gpt-4o-mini; the gateway's cost is recorded after the call/.test(app.statusBar.tooltipText) && app.statusBar.tooltipText.includes('team-llm') ? app.statusBar.tooltipText : undefined)).catch((e: Error) => {
        throw new Error(`${e.message}; the tooltip reads: ${app.statusBar.tooltipText}`);
      });
      assert.match(tip, /\| openai\/gpt-4o-mini <small>\(\$[\d.]+ in \/ \$[\d.]+ out per M; list price of openai\/gpt-4o-mini;/);
      assert.match(tip, /list price of dashscope\/qwen-plus; the gateway's cost is recorded after the call/);
      assert.match(tip, /price unknown: the gateway reports no cost for team-llm yet; set its price \(per million tokens\) in tierwise\.models: \{"provider":"openaiCompatible","id":"team-llm"/);
      const list = app.services.pricing().entry('openai', 'gpt-4o-mini')!;
      assert.equal(app.services.pricing().entry('openaiCompatible', 'openai/gpt-4o-mini')?.inputPerM, list.inputPerM);
      // The gateway reported the cost of a call of this model (as the request path records it after the call).
      const usage = { inputTokens: 100, outputTokens: 10, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
      const rec = await app.services.ledger().record({ provider: 'openaiCompatible', model: 'openai/gpt-4o-mini', task: 'explain', usage, usageReported: true, latencyMs: 5, retries: 0, outcome: 'ok', gatewayCostUsd: 0.0042 });
      assert.equal(rec.costSource, 'gateway');
      assert.equal(rec.costUsd, 0.0042, 'the ledger holds the gateway’s figure, not the list price');
      app.statusBar.render();
      assert.match(app.statusBar.tooltipText, /list price of openai\/gpt-4o-mini for estimates; the ledger uses the gateway's cost/);
    } finally {
      for (const t of ['simple', 'medium', 'complex']) await setting(`tiers.openaiCompatible.${t}`, undefined);
      await setting('providers.openaiCompatible.baseUrl', undefined);
      await setting('provider', 'openai');
    }
  });
});
