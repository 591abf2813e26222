/** Entry of the cost report webview (bundled to dist/report.js). */
import './report.css';
import { isHostToReportView } from '../shared/protocol/report';
import { ReportApp } from './reportApp';
import { acquireVsCode } from './vscodeApi';
import { loadPageLocale, s } from './strings';

const vscode = acquireVsCode();
const root = document.getElementById('app') ?? document.body;
// The page's language and strings, from the host (English when they are missing).
loadPageLocale(root);
const app = new ReportApp(root, document, (m) => vscode.postMessage(m));
window.addEventListener('message', (ev: MessageEvent<unknown>) => {
  const msg = ev.data;
  if (!isHostToReportView(msg)) return;
  if (msg.type === 'report.data') app.render(msg.data);
  else if (!msg.ok) app.notify(s('common.failed', msg.error ?? s('common.unknownError')));
});
app.ready();
