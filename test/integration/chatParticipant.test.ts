import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { LedgerRecord } from '../../src/core/pricing';
import { defaultAnswer } from '../fake-provider/server';
import { fakeEnqueue, fakeRequests, fakeReset, tierwise, until } from './helpers';

const KEY = 'sk-test-openai-participant-0123456789';

/** A response stream that keeps what the participant wrote. */
function recorder() {
  const out = { markdown: '', progress: [] as string[] };
  const stream = {
    markdown: (v: string | vscode.MarkdownString) => void (out.markdown += typeof v === 'string' ? v : v.value),
    progress: (v: string) => void out.progress.push(v),
  } as unknown as vscode.ChatResponseStream;
  return { out, stream };
}

function request(prompt: string, command?: string, references: vscode.ChatPromptReference[] = []): vscode.ChatRequest {
  return { prompt, command, references, toolReferences: [], toolInvocationToken: undefined, model: undefined } as unknown as vscode.ChatRequest;
}

async function editorWith(content: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument({ content, language: 'typescript' });
  const e = await vscode.window.showTextDocument(doc);
  e.selection = new vscode.Selection(0, 0, doc.lineCount, 0);
  return e;
}

const SOURCE = 'export function add(a: number, b: number): number {\n  return a + b;\n}\n';
const token = () => new vscode.CancellationTokenSource().token;

suite('VS Code chat: the @tierwise participant', () => {
  suiteSetup(async () => {
    const app = await tierwise();
    await app.keys.set('openai', KEY);
    await app.services.refreshAvailable();
  });
  suiteTeardown(async () => {
    const app = await tierwise();
    await app.keys.clear('openai');
  });
  setup(fakeReset);

  test('/explain answers on the selection with the task prompt, ends with the route line and the cost, and offers Escalate and Compare costs', async () => {
    const app = await tierwise();
    await editorWith(SOURCE);
    const before = app.services.ledger().all().length;
    const { out, stream } = recorder();
    const result = await app.participant.handler(request('', 'explain'), { history: [] } as unknown as vscode.ChatContext, stream, token());
    const sent = (await fakeRequests()).filter((r) => r.path === '/v1/chat/completions');
    assert.equal(sent.length, 1);
    const body = JSON.stringify(sent[0]!.body.messages);
    assert.ok(body.includes('return a + b;'), 'the selection was sent');
    const model = sent[0]!.body.model as string;
    assert.ok(out.markdown.startsWith(defaultAnswer(model)), 'the answer streamed into the chat');
    const rec = await until('the record', () => app.services.ledger().all().slice(before)[0] as LedgerRecord | undefined);
    assert.equal(rec.source, 'chat');
    assert.equal(rec.task, 'explainCode');
    assert.ok(out.markdown.includes(`cost ${app.services.pricing().formatUsd(rec.costUsd)}`), out.markdown);
    assert.ok(out.markdown.includes(model), 'the route line names the model');
    const followups = (await app.participant.followups.provideFollowups(result as vscode.ChatResult, { history: [] } as unknown as vscode.ChatContext, token())) ?? [];
    assert.deepEqual(followups.map((f) => f.label), ['Escalate', 'Compare costs']);

    // Escalate: the same request one tier up.
    const turn = new (vscode.ChatResponseTurn as unknown as new (...a: unknown[]) => vscode.ChatResponseTurn)([], result, 'tierwise.chat');
    const up = recorder();
    await app.participant.handler(request('escalate'), { history: [turn] } as unknown as vscode.ChatContext, up.stream, token());
    const again = (await fakeRequests()).filter((r) => r.path === '/v1/chat/completions');
    assert.equal(again.length, 2);
    assert.notEqual(again[1]!.body.model, model, 'another (higher) tier model');
    const rec2 = await until('the escalated record', () => app.services.ledger().all().slice(before)[1] as LedgerRecord | undefined);
    assert.equal(rec2.escalatedFrom, rec.tier);
  });

  test('/cost prices every tier without sending anything', async () => {
    const app = await tierwise();
    await editorWith(SOURCE);
    const { out, stream } = recorder();
    await app.participant.handler(request('what does it return?', 'cost'), { history: [] } as unknown as vscode.ChatContext, stream, token());
    assert.equal((await fakeRequests()).filter((r) => r.path === '/v1/chat/completions').length, 0, 'nothing sent');
    const tiers = app.services.config().routing.config.tiers.openai;
    for (const m of Object.values(tiers)) assert.ok(out.markdown.includes(m), `${m} priced`);
    assert.match(out.markdown, /nothing was sent/);
  });

  test('/review of a referenced file reads the file, not the editor', async () => {
    const app = await tierwise();
    await editorWith('const unrelated = 1;\n');
    const folder = vscode.workspace.workspaceFolders![0]!.uri;
    const files = await vscode.workspace.fs.readDirectory(folder);
    const name = files.find(([n, t]) => t === vscode.FileType.File && /\.(ts|js|py|md)$/.test(n))![0];
    const uri = vscode.Uri.joinPath(folder, name);
    const content = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    await fakeEnqueue({ kind: 'ok', text: 'Looks fine.' });
    const { out, stream } = recorder();
    await app.participant.handler(request('', 'review', [{ id: 'file', value: uri, range: undefined } as unknown as vscode.ChatPromptReference]), { history: [] } as unknown as vscode.ChatContext, stream, token());
    const sent = (await fakeRequests()).filter((r) => r.path === '/v1/chat/completions');
    const body = JSON.stringify(sent[0]!.body.messages);
    assert.ok(body.includes(JSON.stringify(content.slice(0, 40)).slice(1, -1)), 'the referenced file was sent');
    assert.ok(!body.includes('unrelated'), 'not the editor');
    assert.ok(out.markdown.startsWith('Looks fine.'));
  });
});
