/**
 * Reader for Microsoft Prompty files (`.prompty`): YAML front matter with `model` (configuration, parameters)
 * and `inputs` (default / sample) or a top-level `sample`, then a body of `system:` / `user:` / `assistant:` role
 * lines with Jinja-style `{{name}}` variables. Tierwise reads what it needs to count, lint and run the prompt.
 * Turns before the last `user:` become few-shot examples; the last `user:` turn is the message.
 * Never throws.
 */
import type { PromptConfig, PromptDiagnostic, PromptFile, PromptSection, VariableDef } from './model';
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
          message: `Unknown key \`model.${key}\` (known: ${MODEL_KEYS.join(', ')}).`,
        });
      }
    }
    if (model.api !== undefined && model.api !== 'chat') {
      problems.push({
        range: findKey(fm, 'model.api')?.valueRange ?? fm!.range,
        severity: 'warning',
        code: 'unsupported-api',
        message: `Tierwise runs chat prompts; \`model.api: ${String(model.api)}\` is treated as chat.`,
      });
    }
    const conf = model.configuration;
    if (conf !== undefined && conf !== null && !isRecord(conf)) {
      problems.push({ range: findKey(fm, 'model.configuration')?.valueRange ?? fm!.range, severity: 'error', code: 'invalid-value', message: '`model.configuration` must be a mapping.' });
    } else if (isRecord(conf)) {
      if (conf.type !== undefined) {
        const p = toProvider(conf.type);
        if (p) config.provider = p;
        else {
          problems.push({
            range: findKey(fm, 'model.configuration.type')?.valueRange ?? fm!.range,
            severity: 'info',
            code: 'unknown-provider',
            message: `Tierwise has no provider for \`type: ${String(conf.type)}\`; the provider is taken from the model name or the default.`,
          });
        }
      }
      const name = conf.model ?? conf.name ?? conf.azure_deployment;
      const path = conf.model !== undefined ? 'model.configuration.model' : conf.name !== undefined ? 'model.configuration.name' : 'model.configuration.azure_deployment';
      config.model = read.string(path, name);
    }
    const params = model.parameters;
    if (params !== undefined && params !== null && !isRecord(params)) {
      problems.push({ range: findKey(fm, 'model.parameters')?.valueRange ?? fm!.range, severity: 'error', code: 'invalid-value', message: '`model.parameters` must be a mapping.' });
    } else if (isRecord(params)) {
      config.maxTokens = read.positiveInt('model.parameters.max_tokens', params.max_tokens ?? params.max_completion_tokens);
      config.temperature = read.temperature('model.parameters.temperature', params.temperature);
    }
  } else if (model !== undefined && model !== null) {
    problems.push({ range: findKey(fm, 'model')?.valueRange ?? fm!.range, severity: 'error', code: 'invalid-value', message: '`model` must be a mapping (api, configuration, parameters).' });
  }
  if (config.model && !config.provider) config.provider = inferProvider(config.model);

  const variables = readInputs(data, fm, idx, problems);

  const split = splitSections(idx, fmr.bodyStartLine, matchRole);
  const raws = split.sections;
  const sections: PromptSection[] = [];
  if (raws.length === 0) {
    if (split.preamble && nonBlank(idx, split.preamble)) sections.push(toSection(idx, split.preamble, { role: 'user', example: false }, true));
  } else {
    if (split.preamble && nonBlank(idx, split.preamble)) problems.push(strayTextProblem(idx, split.preamble, 'role line (`system:`, `user:` …)'));
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
      problems.push({ range: dup.headerRange, severity: 'warning', code: 'duplicate-section', message: 'A second `system:` turn: its text is appended to the first.' });
    }
    if (lastUser < 0) {
      problems.push({ range: sections[sections.length - 1].headerRange, severity: 'error', code: 'missing-user', message: 'No `user:` turn: the prompt has no message to send.' });
    } else {
      sections.forEach((s, i) => {
        if (i > lastUser && s.role === 'assistant') {
          problems.push({ range: s.headerRange, severity: 'info', code: 'trailing-assistant', message: 'An `assistant:` turn after the last `user:` turn is sent as a prefill.' });
        }
      });
    }
  }
  if (sections.length === 0) {
    problems.push({ range: idx.lineRange(Math.min(fmr.bodyStartLine, idx.lineCount - 1)), severity: 'error', code: 'missing-user', message: 'The prompt body is empty.' });
  }
  // Jinja statements are kept as text: Tierwise only substitutes {{variables}}.
  for (let i = fmr.bodyStartLine; i < idx.lineCount; i++) {
    const col = idx.lines[i].text.indexOf('{%');
    if (col >= 0) {
      problems.push({
        range: { start: { line: i, character: col }, end: { line: i, character: idx.lines[i].text.length } },
        severity: 'hint',
        code: 'jinja-statement',
        message: 'Jinja statements ({% … %}) are not evaluated by Tierwise; counts and runs use the text as written.',
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
        problems.push({ range, severity: 'error', code: 'invalid-value', message: `Input name \`${name}\` must be letters, digits and _.` });
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
    problems.push({ range: findKey(fm, 'inputs')?.valueRange ?? fallback, severity: 'error', code: 'invalid-value', message: '`inputs` must map each input name to its description.' });
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
