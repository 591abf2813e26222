import * as vscode from 'vscode';
import type { ModelTarget } from '../../core/prompts';
import { tierProvider } from '../../core/routing';
import { type Tier, TIERS } from '../../core/types';
import { PROMPT_FILE_TASK } from '../config';
import { registerPromptFiles } from './files';
import type { RequestService } from '../requests';
import type { PromptPorts } from './ports';

/** Prompt files (.prompt.md, .prompty, extra globs): counts, lint and Run, wired to Tierwise's services. */
export function registerPromptSupport(context: vscode.ExtensionContext, s: PromptPorts, requests: RequestService): vscode.Disposable {
  const reg = registerPromptFiles(context, {
    countTokens: async (provider, model, text) => {
      const c = await s.tokens().counter().count(provider, model, text);
      return { tokens: c.tokens, exact: c.exact, ...(c.calibration ? { calibration: c.calibration } : {}) };
    },
    countTokensSync: (provider, model, text) => s.tokens().counter().approximate(provider, model, text).tokens,
    priceFor: (provider, model) => {
      const e = s.pricing().entry(provider, model);
      return e ? { input: e.inputPerM, cachedInput: e.cachedInputPerM, output: e.outputPerM, currency: e.currency } : undefined;
    },
    priceSource: (provider, model) => s.pricing().entry(provider, model),
    money: (amounts, currency) => s.pricing().formatAll(amounts, currency),
    contextWindow: (provider, model) => s.pricing().entry(provider, model)?.contextWindow || undefined,
    tierModels: () => {
      const r = s.config().routing.config;
      const out = {} as Record<Tier, ModelTarget>;
      for (const t of TIERS) {
        const provider = tierProvider(r, t);
        out[t] = { provider, model: r.tiers[provider][t] };
      }
      return out;
    },
    defaultTarget: () => {
      const r = s.config().routing.config;
      return { provider: r.activeProvider, model: r.tiers[r.activeProvider].medium };
    },
    runPrompt: async (req) => {
      const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === req.uri.toString());
      await requests.send({
        task: PROMPT_FILE_TASK,
        title: req.title,
        text: req.request.messages.map((m) => m.content).join('\n'),
        fileName: vscode.workspace.asRelativePath(req.uri),
        languageId: doc?.languageId,
        prebuilt: { request: req.request, tier: req.tier, provider: req.provider, model: req.model, ...(req.model ? { file: req.uri } : {}) },
        source: 'promptFile',
      });
    },
    settings: () => ({ systemPromptMaxTokens: s.config().lint.systemPromptMaxTokens, extraGlobs: s.config().promptGlobs }),
    // Settings (models, prices in settings), an endpoint approval or workspace trust changed, or a DashScope call
    // re-calibrated an estimated model.
    onDidChange: (listener, thisArg, disposables) => {
      const d = vscode.Disposable.from(s.onDidChangeSettings(listener, thisArg), s.qwenCalibration().onDidChange(listener, thisArg));
      disposables?.push(d);
      return d;
    },
    log: s.log,
  });
  return reg;
}
