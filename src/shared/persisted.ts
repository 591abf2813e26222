import { isAnswerSnapshot, type AnswerSnapshot } from './protocol/answer';

/** What the answer webview stores with `vscode.setState` (and the serializer hands back after a reload). */
export interface PersistedState {
  version: 1;
  answers: AnswerSnapshot[];
}

/** Read persisted state defensively; answers still streaming when the window went away are marked interrupted. */
export function revivePersisted(raw: unknown): AnswerSnapshot[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const s = raw as Partial<PersistedState>;
  if (s.version !== 1 || !Array.isArray(s.answers)) return [];
  return s.answers.filter(isAnswerSnapshot).map(interruptIfStreaming);
}

export function interruptIfStreaming(a: AnswerSnapshot): AnswerSnapshot {
  if (a.outcome) return a;
  const { status: _status, ...rest } = a;
  return { ...rest, outcome: 'interrupted', message: 'The window was reloaded while this answer was streaming; the partial answer is kept.' };
}
