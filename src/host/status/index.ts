export { StatusBar } from './statusBar';
export type { StatusPorts } from './ports';
