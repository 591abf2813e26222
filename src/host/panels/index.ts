export { type AnswerHandle, type AnswerInit, AnswerPanel } from './answerPanel';
export { CostReportPanel } from './costReport';
export { staticPageOptions } from './html';
export { buildPage, escapeHtml } from './page';
export { StaticPanel } from './panelHost';
