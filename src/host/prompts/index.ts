export { registerPromptSupport } from './support';
