/** Entry of the cost report webview (bundled to dist/report.js). */
import './report.css';
import { isHostToReportView } from '../shared/protocol/report';
import { ReportApp } from './reportApp';
import { acquireVsCode } from './vscodeApi';

const vscode = acquireVsCode();
const app = new ReportApp(document.getElementById('app') ?? document.body, document, (m) => vscode.postMessage(m));
window.addEventListener('message', (ev: MessageEvent<unknown>) => {
  const msg = ev.data;
  if (!isHostToReportView(msg)) return;
  if (msg.type === 'report.data') app.render(msg.data);
  else if (!msg.ok) app.notify(`Failed: ${msg.error ?? 'unknown error'}`);
});
app.ready();
