/**
 * Parser for Tierwise's own `.prompt.md` format:
 *
 *   ---
 *   tier: simple            # or provider + model
 *   max_tokens: 10
 *   temperature: 0
 *   cache: false
 *   task: classify
 *   variables:
 *     text: "I love it"
 *   ---
 *   ## system
 *   …
 *   ## example user / ## example assistant   (few-shot pairs)
 *   ## user
 *   Classify: {{text}}
 *
 * Never throws: everything wrong becomes a diagnostic in `problems`.
 */
import { msg } from '../messages';
import type { PromptConfig, PromptDiagnostic, PromptFile, PromptSection, VariableDef } from './model';
import { said } from './model';
import type { TextIndex } from './text';
import { findKey } from './frontMatter';
import { isRecord, readPrologue } from './config';
import type { HeaderMatch } from './sections';
import { nonBlank, sectionReferences, splitSections, strayTextProblem, toSection } from './sections';
import { VARIABLE_NAME, valueToText } from './variables';

const PROMPT_MD_KEYS = ['name', 'description', 'provider', 'model', 'tier', 'max_tokens', 'temperature', 'cache', 'task', 'variables'] as const;

const HEADER = /^##\s+(system|user|example\s+user|example\s+assistant)\s*$/i;

function matchHeader(line: string): HeaderMatch | undefined {
  const m = HEADER.exec(line.trim());
  if (!m) return undefined;
  const name = m[1].toLowerCase().replace(/\s+/g, ' ');
  switch (name) {
    case 'system':
      return { role: 'system', example: false };
    case 'user':
      return { role: 'user', example: false };
    case 'example user':
      return { role: 'user', example: true };
    default:
      return { role: 'assistant', example: true };
  }
}

export function parsePromptMd(text: string): PromptFile {
  const { idx, fmr, fm, data, problems, read } = readPrologue(text, PROMPT_MD_KEYS, '.prompt.md');

  const config: PromptConfig = {
    name: read.string('name', data.name),
    provider: read.provider('provider', data.provider),
    model: read.string('model', data.model),
    tier: read.tier('tier', data.tier),
    maxTokens: read.positiveInt('max_tokens', data.max_tokens),
    temperature: read.temperature('temperature', data.temperature),
    cache: read.boolean('cache', data.cache) ?? false,
    task: read.string('task', data.task),
  };
  if (config.model && config.tier) {
    problems.push({
      range: findKey(fm, 'tier')?.keyRange ?? fm!.range,
      severity: 'info',
      code: 'tier-ignored',
      ...said(msg('prompts.promptMd.tierIgnored')),
    });
  }

  const variables = readVariables(data.variables, fm, idx, problems);

  const split = splitSections(idx, fmr.bodyStartLine, matchHeader);
  const sections: PromptSection[] = [];
  if (split.sections.length === 0) {
    // No headers: the whole body is the user message.
    if (split.preamble && nonBlank(idx, split.preamble)) sections.push(toSection(idx, split.preamble, { role: 'user', example: false }, true));
  } else {
    if (split.preamble && nonBlank(idx, split.preamble)) problems.push(strayTextProblem(idx, split.preamble, msg('prompts.promptMd.firstSection')));
    for (const raw of split.sections) sections.push(toSection(idx, raw, raw.header!, false));
  }
  checkStructure(sections, idx, problems);

  return { format: 'promptMd', text, frontMatter: fm, config, sections, variables, references: sectionReferences(idx, sections), problems };
}

function readVariables(v: unknown, fm: PromptFile['frontMatter'], idx: TextIndex, problems: PromptDiagnostic[]): VariableDef[] {
  const defs: VariableDef[] = [];
  if (v === undefined || v === null) return defs;
  const where = findKey(fm, 'variables')?.keyRange ?? fm?.range ?? idx.lineRange(0);
  const add = (name: string, value: unknown) => {
    const loc = findKey(fm, `variables.${name}`);
    const range = loc?.keyRange ?? where;
    if (!VARIABLE_NAME.test(name)) {
      problems.push({ range, severity: 'error', code: 'invalid-value', ...said(msg('prompts.promptMd.variableName', name)) });
      return;
    }
    defs.push({ name, defaultValue: valueToText(value), range });
  };
  if (Array.isArray(v)) {
    for (const item of v) {
      if (typeof item === 'string') add(item, undefined);
      else problems.push({ range: where, severity: 'error', code: 'invalid-value', ...said(msg('prompts.promptMd.variablesListNames')) });
    }
  } else if (isRecord(v)) {
    for (const [name, value] of Object.entries(v)) add(name, value);
  } else {
    problems.push({ range: where, severity: 'error', code: 'invalid-value', ...said(msg('prompts.promptMd.variablesNotMap')) });
  }
  return defs;
}

function checkStructure(sections: PromptSection[], idx: TextIndex, problems: PromptDiagnostic[]): void {
  const systems = sections.filter((s) => s.role === 'system' && !s.example);
  const users = sections.filter((s) => s.role === 'user' && !s.example);
  for (const dup of systems.slice(1)) {
    problems.push({ range: dup.headerRange, severity: 'warning', code: 'duplicate-section', ...said(msg('prompts.promptMd.secondSystem')) });
  }
  for (const dup of users.slice(1)) {
    problems.push({ range: dup.headerRange, severity: 'warning', code: 'duplicate-section', ...said(msg('prompts.promptMd.secondUser')) });
  }
  if (users.length === 0) {
    const r = sections.length ? sections[sections.length - 1].headerRange : idx.lineRange(0);
    problems.push({ range: r, severity: 'error', code: 'missing-user', ...said(msg('prompts.promptMd.missingUser')) });
  }
  sections.forEach((s, i) => {
    if (!s.example) return;
    if (s.role === 'user') {
      const next = sections[i + 1];
      if (!next || !next.example || next.role !== 'assistant') {
        problems.push({ range: s.headerRange, severity: 'warning', code: 'unpaired-example', ...said(msg('prompts.promptMd.exampleUserUnpaired')) });
      }
    } else {
      const prev = sections[i - 1];
      if (!prev || !prev.example || prev.role !== 'user') {
        problems.push({ range: s.headerRange, severity: 'warning', code: 'unpaired-example', ...said(msg('prompts.promptMd.exampleAssistantUnpaired')) });
      }
    }
  });
  const lastUser = users[users.length - 1];
  if (lastUser && lastUser.text.trim() === '') {
    problems.push({ range: lastUser.headerRange, severity: 'warning', code: 'empty-section', ...said(msg('prompts.promptMd.emptyUser')) });
  }
}
