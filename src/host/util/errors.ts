import type { ProviderError } from '../../core/errors';
import { PROVIDER_LABELS } from '../../core/types';

/** A provider error as a sentence the user can act on, with the provider's request id. */
export function describeError(err: ProviderError, ctx: { model: string; settingHint: string }): { message: string } {
  const who = PROVIDER_LABELS[err.provider] ?? err.provider;
  const id = err.requestId ? ` (request id ${err.requestId})` : '';
  let text: string;
  if (err.code === 'circuitOpen') {
    // Not the provider's answer: Tierwise itself holds requests back after repeated failures.
    const left = /\((\d+) s left\)/.exec(err.message)?.[1];
    return {
      message: `Tierwise is pausing requests to ${who} after repeated failures${left ? ` (for ${left} s more)` : ''}. Try again then, or pick another provider or model (a fallback in tierwise.fallback is tried automatically).`,
    };
  }
  switch (err.kind) {
    case 'auth':
      // DashScope keys are region-locked: its message names the host's region and the region setting.
      text = err.provider === 'dashscope' ? `${err.message} Run "Tierwise: Set API Key…" to replace the key.` : `${who} rejected the API key (401). Run "Tierwise: Set API Key…" to replace it.`;
      break;
    case 'permission':
      text = `${who} refused access (403): the key's project or region may not allow ${ctx.model}.`;
      break;
    case 'notFound':
      // An HTML 404 page: the base URL is wrong, not the model (the provider's message names the setting).
      text = err.code === 'html_response' ? err.message : `${who} does not know the model "${ctx.model}" (404). It was chosen by the setting ${ctx.settingHint}; pick another model there.`;
      break;
    case 'quota':
      text = `${who} says the account is out of quota or credit (429 insufficient quota). This is not a rate limit: add credit or switch provider.`;
      break;
    case 'timeout': {
      // Our own watchdog: say which wait ran out and which setting sets it.
      const setting = err.code === 'connectTimeout' ? 'connectMs' : err.code === 'firstTokenTimeout' ? 'firstTokenMs' : err.code === 'idleTimeout' ? 'idleMs' : undefined;
      const what = err.code === 'idleTimeout' ? `${who} stopped sending` : `${who} did not answer in time`;
      const detail = /\(([^)]*)\)/.exec(err.message)?.[1];
      text = `${what}${detail ? ` (${detail})` : ''}.${setting ? ` If ${ctx.model} is slow rather than stuck, raise the setting tierwise.timeouts.${setting}.` : ''}`;
      break;
    }
    case 'missingKey':
      text = `No API key is set for ${who}. Run "Tierwise: Set API Key…".`;
      break;
    default:
      text = err.message;
  }
  if (err.partialText) text += ' The partial answer is kept.';
  return { message: `${text}${id && !text.includes(err.requestId ?? '\u0000') ? id : ''}` };
}
