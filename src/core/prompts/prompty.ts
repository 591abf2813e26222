/**
 * Reader for Microsoft Prompty files (`.prompty`): YAML front matter with `model` (configuration, parameters)
 * and `inputs` (default / sample) or a top-level `sample`, then a body of `system:` / `user:` / `assistant:` role
 * lines with Jinja-style `{{name}}` variables. Tierwise reads what it needs to count, lint and run the prompt.
 * Turns before the last `user:` become few-shot examples; the last `user:` turn is the message.
 * Never throws.
 */
import { msg } from '../messages';
import type { PromptConfig, PromptDiagnostic, PromptFile, PromptSection, VariableDef } from './model';
import { said } from './model';
import type { TextIndex } from './text';
import { findKey } from './frontMatter';
import { inferProvider, isRecord, readPrologue, toProvider } from './config';
import type { HeaderMatch } from './sections';
import { nonBlank, sectionReferences, splitSections, strayTextProblem, toSection } from './sections';
import { VARIABLE_NAME, valueToText } from './variables';

const PROMPTY_KEYS = ['$schema', 'name', 'description', 'version', 'authors', 'tags', 'model', 'inputs', 'outputs', 'sample', 'template', 'base', 'metadata'] as const;
const MODEL_KEYS = ['api', 'configuration', 'parameters', 'response', 'options'];
const TYPE_NAMES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'list', 'dict']);

const ROLE = /^\s*#?\s*(system|user|assistant)\s*:\s*$/i;

function matchRole(line: string): HeaderMatch | undefined {
  const m = ROLE.exec(line);
  if (!m) return undefined;
  return { role: m[1].toLowerCase() as HeaderMatch['role'], example: false };
}

export function parsePrompty(text: string): PromptFile {
  const { idx, fmr, fm, data, problems, read } = readPrologue(text, PROMPTY_KEYS, '.prompty');

  const config: PromptConfig = { name: read.string('name', data.name), cache: false };
  const model = data.model;
  if (typeof model === 'string') {
    config.model = model;
  } else if (isRecord(model)) {
    for (const key of Object.keys(model)) {
      if (!MODEL_KEYS.includes(key)) {
        problems.push({
          range: findKey(fm, `model.${key}`)?.keyRange ?? fm!.range,
          severity: 'warning',
          code: 'unknown-key',
          ...said(msg('prompts.prompty.unknownModelKey', key, MODEL_KEYS.join(', '))),
        });
      }
    }
    if (model.api !== undefined && model.api !== 'chat') {
      problems.push({
        range: findKey(fm, 'model.api')?.valueRange ?? fm!.range,
        severity: 'warning',
        code: 'unsupported-api',
        ...said(msg('prompts.prompty.apiAsChat', String(model.api))),
      });
    }
    const conf = model.configuration;
    if (conf !== undefined && conf !== null && !isRecord(conf)) {
      problems.push({ range: findKey(fm, 'model.configuration')?.valueRange ?? fm!.range, severity: 'error', code: 'invalid-value', ...said(msg('prompts.prompty.configurationNotMap')) });
    } else if (isRecord(conf)) {
      if (conf.type !== undefined) {
        const p = toProvider(conf.type);
        if (p) config.provider = p;
        else {
          problems.push({
            range: findKey(fm, 'model.configuration.type')?.valueRange ?? fm!.range,
            severity: 'info',
            code: 'unknown-provider',
            ...said(msg('prompts.prompty.unknownType', String(conf.type))),
          });
        }
      }
      const name = conf.model ?? conf.name ?? conf.azure_deployment;
      const path = conf.model !== undefined ? 'model.configuration.model' : conf.name !== undefined ? 'model.configuration.name' : 'model.configuration.azure_deployment';
      config.model = read.string(path, name);
    }
    const params = model.parameters;
    if (params !== undefined && params !== null && !isRecord(params)) {
      problems.push({ range: findKey(fm, 'model.parameters')?.valueRange ?? fm!.range, severity: 'error', code: 'invalid-value', ...said(msg('prompts.prompty.parametersNotMap')) });
    } else if (isRecord(params)) {
      config.maxTokens = read.positiveInt('model.parameters.max_tokens', params.max_tokens ?? params.max_completion_tokens);
      config.temperature = read.temperature('model.parameters.temperature', params.temperature);
    }
  } else if (model !== undefined && model !== null) {
    problems.push({ range: findKey(fm, 'model')?.valueRange ?? fm!.range, severity: 'error', code: 'invalid-value', ...said(msg('prompts.prompty.modelNotMap')) });
  }
  if (config.model && !config.provider) config.provider = inferProvider(config.model);

  const variables = readInputs(data, fm, idx, problems);

  const split = splitSections(idx, fmr.bodyStartLine, matchRole);
  const raws = split.sections;
  const sections: PromptSection[] = [];
  if (raws.length === 0) {
    if (split.preamble && nonBlank(idx, split.preamble)) sections.push(toSection(idx, split.preamble, { role: 'user', example: false }, true));
  } else {
    if (split.preamble && nonBlank(idx, split.preamble)) problems.push(strayTextProblem(idx, split.preamble, msg('prompts.prompty.firstRoleLine')));
    let lastUser = -1;
    raws.forEach((r, i) => {
      if (r.header!.role === 'user') lastUser = i;
    });
    raws.forEach((r, i) => {
      const role = r.header!.role;
      const example = role !== 'system' && i < lastUser;
      sections.push(toSection(idx, r, { role, example }, false));
    });
    const systems = sections.filter((s) => s.role === 'system');
    for (const dup of systems.slice(1)) {
      problems.push({ range: dup.headerRange, severity: 'warning', code: 'duplicate-section', ...said(msg('prompts.prompty.secondSystem')) });
    }
    if (lastUser < 0) {
      problems.push({ range: sections[sections.length - 1].headerRange, severity: 'error', code: 'missing-user', ...said(msg('prompts.prompty.missingUser')) });
    } else {
      sections.forEach((s, i) => {
        if (i > lastUser && s.role === 'assistant') {
          problems.push({ range: s.headerRange, severity: 'info', code: 'trailing-assistant', ...said(msg('prompts.prompty.trailingAssistant')) });
        }
      });
    }
  }
  if (sections.length === 0) {
    problems.push({ range: idx.lineRange(Math.min(fmr.bodyStartLine, idx.lineCount - 1)), severity: 'error', code: 'missing-user', ...said(msg('prompts.prompty.emptyBody')) });
  }
  // Jinja statements are kept as text: Tierwise only substitutes {{variables}}.
  for (let i = fmr.bodyStartLine; i < idx.lineCount; i++) {
    const col = idx.lines[i].text.indexOf('{%');
    if (col >= 0) {
      problems.push({
        range: { start: { line: i, character: col }, end: { line: i, character: idx.lines[i].text.length } },
        severity: 'hint',
        code: 'jinja-statement',
        ...said(msg('prompts.prompty.jinja')),
      });
    }
  }

  return { format: 'prompty', text, frontMatter: fm, config, sections, variables, references: sectionReferences(idx, sections), problems };
}

function readInputs(data: Record<string, unknown>, fm: PromptFile['frontMatter'], idx: TextIndex, problems: PromptDiagnostic[]): VariableDef[] {
  const defs = new Map<string, VariableDef>();
  const fallback = fm?.range ?? idx.lineRange(0);
  const inputs = data.inputs;
  if (isRecord(inputs)) {
    for (const [name, spec] of Object.entries(inputs)) {
      const range = findKey(fm, `inputs.${name}`)?.keyRange ?? fallback;
      if (!VARIABLE_NAME.test(name)) {
        problems.push({ range, severity: 'error', code: 'invalid-value', ...said(msg('prompts.prompty.inputName', name)) });
        continue;
      }
      const def: VariableDef = { name, range };
      if (isRecord(spec)) {
        def.defaultValue = valueToText(spec.default);
        def.sample = valueToText(spec.sample);
      } else if (!(typeof spec === 'string' && TYPE_NAMES.has(spec))) {
        def.defaultValue = valueToText(spec);
      }
      defs.set(name, def);
    }
  } else if (inputs !== undefined && inputs !== null) {
    problems.push({ range: findKey(fm, 'inputs')?.valueRange ?? fallback, severity: 'error', code: 'invalid-value', ...said(msg('prompts.prompty.inputsNotMap')) });
  }
  const sample = data.sample;
  if (isRecord(sample)) {
    for (const [name, value] of Object.entries(sample)) {
      if (!VARIABLE_NAME.test(name)) continue;
      const existing = defs.get(name);
      if (existing) existing.sample ??= valueToText(value);
      else defs.set(name, { name, sample: valueToText(value), range: findKey(fm, `sample.${name}`)?.keyRange ?? fallback });
    }
  }
  return [...defs.values()];
}
