/**
 * DashScope's Batch API: the OpenAI-compatible files and batches endpoints under the region's compatible-mode
 * base URL, at half the real-time price. Which models it takes depends on the region; the list is data
 * (dashscopeModels.json), and a model outside it is refused before anything is sent.
 */
import type { DashScopeRegion } from '../providers/baseUrls';
import { DASHSCOPE_REGION_LABELS } from '../providers/baseUrls';
import { msg, type Message } from '../messages';
import data from './dashscopeModels.json';

const MODELS = (data as { regions: Record<DashScopeRegion, string[]> }).regions;

/** The models DashScope's Batch API accepts in a region. */
export function dashscopeBatchModels(region: DashScopeRegion): readonly string[] {
  return MODELS[region] ?? [];
}

export function dashscopeBatchSupports(model: string, region: DashScopeRegion): boolean {
  const m = model.trim().toLowerCase();
  return dashscopeBatchModels(region).some((id) => id.toLowerCase() === m);
}

/** Why a model cannot run as a DashScope batch in a region, naming the models that can; undefined when it can. */
export function dashscopeBatchRefusal(model: string, region: DashScopeRegion): Message | undefined {
  if (dashscopeBatchSupports(model, region)) return undefined;
  const list = dashscopeBatchModels(region);
  const where = DASHSCOPE_REGION_LABELS[region];
  if (!list.length) {
    return msg('errors.batch.dashscopeRegion', where);
  }
  return msg('errors.batch.dashscopeModel', where, model, list.join(', '));
}
