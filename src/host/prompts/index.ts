export { registerPromptSupport } from './support';
export type { PromptPorts } from './ports';
