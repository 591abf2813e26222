/**
 * DashScope's Batch API: the OpenAI-compatible files and batches endpoints under the region's compatible-mode
 * base URL, at half the real-time price. Which models it takes depends on the region; the list is data
 * (dashscopeModels.json), and a model outside it is refused before anything is sent.
 */
import type { DashScopeRegion } from '../providers/baseUrls';
import { DASHSCOPE_REGION_LABELS } from '../providers/baseUrls';
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
export function dashscopeBatchRefusal(model: string, region: DashScopeRegion): string | undefined {
  if (dashscopeBatchSupports(model, region)) return undefined;
  const list = dashscopeBatchModels(region);
  const where = DASHSCOPE_REGION_LABELS[region];
  if (!list.length) {
    return `DashScope's Batch API is not offered for the ${where} region here. Set tierwise.providers.dashscope.region to china or international (with a key of that region), or use Run Task on Selection.`;
  }
  return `DashScope's Batch API in the ${where} region does not take ${model}; it takes ${list.join(', ')}. Pick one of them for the tier (tierwise.tiers.dashscope.*), or use Run Task on Selection.`;
}
