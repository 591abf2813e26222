/**
 * Routing configuration: the plain shape the router uses, how it is read from the `tierwise.*` settings
 * (validated, problems reported rather than thrown), and the settings description for package.json.
 */
import type { ProviderId, Tier } from '../types';
import { PROVIDER_IDS, TIERS } from '../types';
import type { TaskDef } from './taskCatalogue';
import { DEFAULT_TASKS } from './taskCatalogue';
import { mergeTasks } from './taskSettings';
import type { ModelRef, TierTable } from './tiers';
import { DEFAULT_TIER_MODELS, defaultTierModels, isProviderId, isTier, parseModelRef, resolveTierTable } from './tiers';
import type { DashScopeRegion } from '../providers/baseUrls';
import type { Classifier } from './judge';
import { CLASSIFIERS } from './judge';
import { isMessage, msg, type Message } from '../messages';
import { settingProblem, type SettingProblem } from '../settingProblems';

export type RoutingPolicy = 'provider' | 'perTier' | 'cheapest';
export const ROUTING_POLICIES: readonly RoutingPolicy[] = ['provider', 'perTier', 'cheapest'];

export interface RoutingConfig {
  policy: RoutingPolicy;
  /** The provider the user picked (`tierwise.provider`); used by `provider` and as the default elsewhere. */
  activeProvider: ProviderId;
  /** `perTier` policy: the provider of each tier; a missing tier uses the active provider. */
  perTier: Partial<Record<Tier, ProviderId>>;
  /** Hybrid: send the simple tier to the local OpenAI-compatible server (policies `provider` and `perTier`). */
  localSimpleTier: boolean;
  tiers: TierTable;
  tasks: Record<string, TaskDef>;
  /** A simple or medium task whose prompt exceeds this many tokens is treated as long-document analysis. */
  longDocumentTokens: number;
  /** Fallback chain per tier for the resilience layer (`tierwise.fallback`). */
  fallback: Partial<Record<Tier, ModelRef[]>>;
  /** Auto tasks: `local` rules only, or `model`: the simple-tier model judges requests the rules are unsure of. */
  classifier: Classifier;
}

export const DEFAULT_LONG_DOCUMENT_TOKENS = 8000;

export function defaultRoutingConfig(activeProvider: ProviderId = 'openai', dashscopeRegion?: DashScopeRegion): RoutingConfig {
  const { tasks } = mergeTasks(undefined, DEFAULT_TASKS);
  const { table } = resolveTierTable(undefined, defaultTierModels(dashscopeRegion));
  return {
    policy: 'provider',
    activeProvider,
    perTier: {},
    localSimpleTier: false,
    tiers: table,
    tasks,
    longDocumentTokens: DEFAULT_LONG_DOCUMENT_TOKENS,
    fallback: {},
    classifier: 'local',
  };
}

/** The raw `tierwise` settings the router reads. The host fills it from `workspace.getConfiguration('tierwise')`. */
export interface RoutingSettings {
  /** `tierwise.provider` */
  provider?: unknown;
  /** `tierwise.routing` : { policy, perTier, localSimpleTier, longDocumentTokens } */
  routing?: unknown;
  /** `tierwise.tiers` : { <provider>: { simple, medium, complex } } */
  tiers?: unknown;
  /** `tierwise.providers.dashscope.region`, which picks DashScope's default tier models. */
  dashscopeRegion?: DashScopeRegion;
  /** `tierwise.tasks` : { <taskId>: partial task } */
  tasks?: unknown;
  /** `tierwise.fallback` : { <tier>: ["provider/model", …] } */
  fallback?: unknown;
}

export interface RoutingConfigResult {
  config: RoutingConfig;
  /** Problems with the settings (each names the setting and carries its id); show them once, do not throw. */
  problems: SettingProblem[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Build a RoutingConfig from raw settings. Invalid values fall back to defaults and are reported. */
export function routingConfigFromSettings(raw: RoutingSettings): RoutingConfigResult {
  const problems: SettingProblem[] = [];
  const problem = (setting: string, m: Message) => problems.push(settingProblem(setting, m));
  const cfg = defaultRoutingConfig(undefined, raw.dashscopeRegion);

  if (raw.provider !== undefined && raw.provider !== null && raw.provider !== '') {
    if (isProviderId(raw.provider)) cfg.activeProvider = raw.provider;
    else problem('tierwise.provider', msg('settings.provider.unknown', 'tierwise.provider', String(raw.provider), cfg.activeProvider));
  }

  const routing = raw.routing;
  if (routing !== undefined && routing !== null) {
    if (!isRecord(routing)) {
      problem('tierwise.routing', msg('settings.notObject', 'tierwise.routing'));
    } else {
      const { policy, perTier, localSimpleTier, longDocumentTokens, classifier } = routing;
      if (classifier !== undefined && classifier !== null && classifier !== '') {
        if (typeof classifier === 'string' && (CLASSIFIERS as readonly string[]).includes(classifier)) {
          cfg.classifier = classifier as Classifier;
        } else {
          problem('tierwise.routing.classifier', msg('settings.notOneOf', 'tierwise.routing.classifier', CLASSIFIERS.join(', '), 'local'));
        }
      }
      if (policy !== undefined) {
        if (typeof policy === 'string' && (ROUTING_POLICIES as readonly string[]).includes(policy)) {
          cfg.policy = policy as RoutingPolicy;
        } else {
          problem('tierwise.routing.policy', msg('settings.notOneOf', 'tierwise.routing.policy', ROUTING_POLICIES.join(', '), 'provider'));
        }
      }
      if (perTier !== undefined && perTier !== null) {
        if (!isRecord(perTier)) problem('tierwise.routing.perTier', msg('settings.notObject', 'tierwise.routing.perTier'));
        else {
          for (const [tier, p] of Object.entries(perTier)) {
            if (!isTier(tier)) problem('tierwise.routing.perTier', msg('settings.perTier.unknownTier', `tierwise.routing.perTier.${tier}`));
            else if (p === '' || p === null || p === undefined) continue;
            else if (!isProviderId(p)) {
              problem('tierwise.routing.perTier', msg('settings.perTier.unknownProvider', `tierwise.routing.perTier.${tier}`, String(p)));
            } else cfg.perTier[tier] = p;
          }
        }
      }
      if (localSimpleTier !== undefined) {
        if (typeof localSimpleTier === 'boolean') cfg.localSimpleTier = localSimpleTier;
        else problem('tierwise.routing.localSimpleTier', msg('settings.notBoolean', 'tierwise.routing.localSimpleTier'));
      }
      if (longDocumentTokens !== undefined) {
        if (typeof longDocumentTokens === 'number' && Number.isInteger(longDocumentTokens) && longDocumentTokens > 0) {
          cfg.longDocumentTokens = longDocumentTokens;
        } else {
          problem('tierwise.routing.longDocumentTokens', msg('settings.notPositiveInteger', 'tierwise.routing.longDocumentTokens', DEFAULT_LONG_DOCUMENT_TOKENS));
        }
      }
    }
  }

  const tiers = resolveTierTable(raw.tiers, defaultTierModels(raw.dashscopeRegion));
  cfg.tiers = tiers.table;
  problems.push(...tiers.problems);

  const tasks = mergeTasks(raw.tasks);
  cfg.tasks = tasks.tasks;
  problems.push(...tasks.problems);

  const fb = raw.fallback;
  if (fb !== undefined && fb !== null) {
    if (!isRecord(fb)) problem('tierwise.fallback', msg('settings.fallback.notObject', 'tierwise.fallback'));
    else {
      for (const [tier, list] of Object.entries(fb)) {
        if (!isTier(tier)) {
          problem('tierwise.fallback', msg('settings.unknownTier', `tierwise.fallback.${tier}`, TIERS.join(', ')));
          continue;
        }
        if (!Array.isArray(list)) {
          problem('tierwise.fallback', msg('settings.fallback.notList', `tierwise.fallback.${tier}`));
          continue;
        }
        const refs: ModelRef[] = [];
        for (const spec of list) {
          const r = parseModelRef(spec);
          if (isMessage(r)) problem('tierwise.fallback', msg('settings.fallback.badEntry', `tierwise.fallback.${tier}`, r));
          else refs.push(r);
        }
        cfg.fallback[tier] = refs;
      }
    }
  }
  return { config: cfg, problems };
}

/** One setting, in the shape of a package.json `contributes.configuration.properties` entry. */
export interface SettingDescription {
  type: string | string[];
  default: unknown;
  description: string;
  enum?: string[];
  enumDescriptions?: string[];
  minimum?: number;
  additionalProperties?: unknown;
  properties?: Record<string, unknown>;
}

const providerEnum = [...PROVIDER_IDS];

/** The settings the routing core reads, ready to be copied into package.json `contributes.configuration`. */
export const ROUTING_SETTINGS: Record<string, SettingDescription> = {
  'tierwise.routing.policy': {
    type: 'string',
    enum: [...ROUTING_POLICIES],
    enumDescriptions: [
      'Every tier uses the active provider (tierwise.provider).',
      'Each tier names its provider in tierwise.routing.perTier.',
      'Each request goes to the cheapest model of its tier among the providers that are set up.',
    ],
    default: 'provider',
    description: 'How Tierwise picks the provider for a tier.',
  },
  'tierwise.routing.perTier': {
    type: 'object',
    properties: Object.fromEntries(TIERS.map((t) => [t, { type: 'string', enum: providerEnum }])),
    additionalProperties: false,
    default: {},
    description:
      'With the perTier policy: the provider of each tier, e.g. { "simple": "dashscope", "complex": "anthropic" }. Tiers left out use tierwise.provider.',
  },
  'tierwise.routing.localSimpleTier': {
    type: 'boolean',
    default: false,
    description:
      'Hybrid mode: send simple-tier tasks to the local OpenAI-compatible server (tierwise.tiers.openaiCompatible.simple) and the other tiers to the cloud.',
  },
  'tierwise.routing.classifier': {
    type: 'string',
    enum: [...CLASSIFIERS],
    enumDescriptions: [
      'Free-form requests are routed by local rules only (no model call).',
      'When the local rules are unsure, the simple-tier model is asked which tier a request needs (5 output tokens, recorded in the ledger as routing overhead).',
    ],
    default: 'local',
    description: 'How Ask About Selection and tasks with tier "auto" are classified.',
  },
  'tierwise.routing.longDocumentTokens': {
    type: 'integer',
    minimum: 1,
    default: DEFAULT_LONG_DOCUMENT_TOKENS,
    description:
      'A simple or medium task whose prompt is longer than this many tokens is treated as long-document analysis and sent to the complex tier.',
  },
  ...Object.fromEntries(
    PROVIDER_IDS.flatMap((p) =>
      TIERS.map((t): [string, SettingDescription] => [
        `tierwise.tiers.${p}.${t}`,
        {
          type: 'string',
          default: DEFAULT_TIER_MODELS[p][t],
          description: `Model used for ${t}-tier tasks on ${p}.`,
        },
      ]),
    ),
  ),
  'tierwise.tasks': {
    type: 'object',
    default: {},
    additionalProperties: {
      type: 'object',
      properties: {
        label: { type: 'string' },
        noun: { type: 'string' },
        tier: { type: 'string', enum: [...TIERS, 'auto'] },
        system: { type: 'string' },
        examples: {
          type: 'array',
          items: { type: 'object', properties: { user: { type: 'string' }, assistant: { type: 'string' } } },
        },
        maxTokens: { type: ['integer', 'object'] },
        temperature: { type: 'number', minimum: 0, maximum: 2 },
        question: { type: ['string', 'object'] },
        code: { type: 'boolean' },
      },
    },
    description:
      'Add tasks or override built-in ones (classify, extractKeywords, convertFormat, summarise, answer, rewrite, explainCode, reviewCode, generateCode, analyseDocument). A new task needs at least "tier" and "system".',
  },
  'tierwise.fallback': {
    type: 'object',
    properties: Object.fromEntries(TIERS.map((t) => [t, { type: 'array', items: { type: 'string' } }])),
    additionalProperties: false,
    default: {},
    description:
      'Models to fall back to, per tier, when the routed model fails, as "provider/model", e.g. { "simple": ["dashscope/qwen3.7-flash", "openai/gpt-6-luna"] }.',
  },
};
