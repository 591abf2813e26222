/** Entry of the answer panel webview (bundled to dist/webview.js). */
import './main.css';
import { parseHostToAnswerView } from '../shared/protocol/answer';
import { AnswerApp } from './answerApp';
import { createSanitizer } from './sanitize';
import { revivePersisted } from '../shared/persisted';
import { acquireVsCode } from './vscodeApi';
import { loadPageLocale } from './strings';

const vscode = acquireVsCode();
const root = document.getElementById('app') ?? document.body;
// The page's language and strings, from the host (English when they are missing).
loadPageLocale(root);
const app = new AnswerApp(root, {
  doc: document,
  sanitizer: createSanitizer(window),
  schedule: (cb) => void requestAnimationFrame(() => cb()),
  post: (msg) => vscode.postMessage(msg),
  saveState: (state) => vscode.setState(state),
  setTimer: (cb, ms) => setTimeout(cb, ms),
  now: () => performance.now(),
});

const local = revivePersisted(vscode.getState());
if (local.length) app.restore(local);

window.addEventListener('message', (ev: MessageEvent<unknown>) => {
  const msg = parseHostToAnswerView(ev.data);
  if (msg) app.handle(msg);
  else console.warn('Tierwise: ignored an unexpected message from the host');
});
app.ready();
