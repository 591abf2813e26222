/**
 * The one typed catalogue of the sentences core shows to users. Core never formats a sentence for the UI by
 * itself: it returns a `Message` (an id and its arguments), the host formats it through `vscode.l10n` (the English
 * template is the key into `l10n/bundle.l10n.*.json`), the webviews get theirs formatted from the host, and plain
 * node (tests, benches, logs) formats it in English with `english`.
 *
 * Templates use `{0}`, `{1}`… in order, as `vscode.l10n.t` does. An argument is a string, a number (formatted by
 * the caller: core formats counts and money itself) or another `Message` (formatted first, in the same language).
 */
import { COMMON_MESSAGES } from './common';
import { ERRORS_MESSAGES } from './errors';
import { PROMPTS_MESSAGES } from './prompts';
import { ROUTING_MESSAGES } from './routing';
import { SETTINGS_MESSAGES } from './settings';
import { SETUP_MESSAGES } from './setup';
import { fill } from './fill';

export const CATALOGUE = {
  ...COMMON_MESSAGES,
  ...ROUTING_MESSAGES,
  ...SETUP_MESSAGES,
  ...PROMPTS_MESSAGES,
  ...SETTINGS_MESSAGES,
  ...ERRORS_MESSAGES,
} as const;

export type Catalogue = typeof CATALOGUE;
export type MessageId = keyof Catalogue;

/** One argument of a message. */
export type MessageArg = string | number | Message;

/** A sentence for the user: an id in the catalogue and its arguments. */
export interface Message {
  readonly id: MessageId;
  readonly args: readonly MessageArg[];
}

/** The argument tuple a template needs: one per placeholder `{0}` … `{n-1}`. */
type ArgsOf<S extends string, A extends MessageArg[] = []> = S extends `${string}{${A['length']}}${string}`
  ? ArgsOf<S, [...A, MessageArg]>
  : A;

/** A message, with exactly as many arguments as its template has placeholders. */
export function msg<K extends MessageId>(id: K, ...args: ArgsOf<Catalogue[K]>): Message {
  return { id, args };
}

export function isMessage(v: unknown): v is Message {
  return typeof v === 'object' && v !== null && typeof (v as Message).id === 'string' && Array.isArray((v as Message).args);
}

export { fill } from './fill';

/** How a language turns a template and its arguments into text (the host passes `vscode.l10n.t`). */
export type Translate = (template: string, args: (string | number)[]) => string;

/** A message in the language of `translate`; nested messages are formatted first, in the same language. */
export function formatMessage(m: Message, translate: Translate): string {
  const template: string = CATALOGUE[m.id];
  const args = m.args.map((a) => (isMessage(a) ? formatMessage(a, translate) : a));
  return translate(template, args);
}

/** A message in English (plain node: tests, benches, logs, the English UI's fallback). */
export function english(m: Message): string {
  return formatMessage(m, fill);
}

/** Joins messages with a separator (itself a message where the language has its own, e.g. "；"), as one argument. */
export function joined(parts: readonly Message[], separator: MessageArg): MessageArg {
  return parts.reduce<MessageArg | undefined>((acc, p) => (acc === undefined ? p : msg('common.joined', acc, separator, p)), undefined) ?? '';
}
