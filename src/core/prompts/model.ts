/**
 * The parsed shape of a prompt file (`.prompt.md` or `.prompty`). Pure TypeScript, no 'vscode'.
 * Positions are zero-based line/character, like the editor's, so the host maps them one to one.
 */
import { english, type Message } from '../messages';
import type { ProviderId, Tier } from '../types';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type PromptFormat = 'promptMd' | 'prompty';

export type PromptRole = 'system' | 'user' | 'assistant';

/** One message-producing block of the body: `## system`, `## example user`, `user:` … */
export interface PromptSection {
  role: PromptRole;
  /** A few-shot example (`## example user` / `## example assistant`, or any prompty turn before the last user turn). */
  example: boolean;
  /** The header text as written (`## example user`, `system:`), for display. */
  label: string;
  /** The header line; for an implicit section (a body without headers) an empty range at the body start. */
  headerRange: Range;
  /** The section's content, from the line after the header to the end of its last non-blank line. */
  bodyRange: Range;
  /** The content, trimmed of leading and trailing blank lines. */
  text: string;
}

export interface VariableDef {
  name: string;
  /** Default value as text; undefined when the variable is declared without one. */
  defaultValue?: string;
  /** A sample value (prompty `sample`), used for counts when there is no default. */
  sample?: string;
  /** Where the variable is declared (the key in the front matter). */
  range: Range;
}

export interface VariableRef {
  name: string;
  range: Range;
  /** Index in `PromptFile.sections`. */
  section: number;
}

/** A front-matter key with where it sits, for diagnostics and edits. */
export interface KeyLocation {
  /** Dotted path, e.g. `max_tokens` or `model.parameters.max_tokens`. */
  path: string;
  keyRange: Range;
  /** The value node's range; for a missing value, an empty range just after the colon. */
  valueRange: Range;
}

export interface FrontMatter {
  /** From the opening `---` to the end of the closing `---` line. */
  range: Range;
  /** Line of the opening `---`. */
  openLine: number;
  /** Line of the closing `---`; undefined when the front matter is never closed. */
  closeLine?: number;
  /** The YAML text between the fences. */
  source: string;
  /** Parsed data (a plain object), or undefined when the YAML did not parse to a mapping. */
  data?: Record<string, unknown>;
  keys: KeyLocation[];
}

/** The settings Tierwise reads from the front matter, already validated. */
export interface PromptConfig {
  name?: string;
  provider?: ProviderId;
  model?: string;
  tier?: Tier;
  maxTokens?: number;
  temperature?: number;
  cache: boolean;
  task?: string;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface QuickFix {
  /** The title in English (`english(titleMsg)`). */
  title: string;
  /** The title, for the host to show in the display language. */
  titleMsg: Message;
  edits: TextEdit[];
  /** Whether the editor should offer it as the preferred fix. */
  preferred?: boolean;
}

export interface PromptDiagnostic {
  range: Range;
  severity: Severity;
  /** Stable identifier, e.g. `max-tokens-excessive`. */
  code: string;
  /** The message in English (`english(messageMsg)`), for logs and plain node. */
  message: string;
  /** The message, for the host to show in the display language. */
  messageMsg: Message;
  fixes?: QuickFix[];
}

/** A diagnostic's `message` and `messageMsg` from one catalogue message. */
export function said(m: Message): Pick<PromptDiagnostic, 'message' | 'messageMsg'> {
  return { message: english(m), messageMsg: m };
}

/** A quick fix's `title` and `titleMsg` from one catalogue message. */
export function titled(m: Message): Pick<QuickFix, 'title' | 'titleMsg'> {
  return { title: english(m), titleMsg: m };
}

export interface PromptFile {
  format: PromptFormat;
  /** The full text that was parsed. */
  text: string;
  frontMatter?: FrontMatter;
  config: PromptConfig;
  sections: PromptSection[];
  variables: VariableDef[];
  references: VariableRef[];
  /** Problems found while parsing (YAML syntax, unknown keys, bad values, section structure). */
  problems: PromptDiagnostic[];
}

/** The variable that takes the editor selection. It needs no declaration. */
export const SELECTION_VARIABLE = 'selection';
