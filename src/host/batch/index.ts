export { BatchService, registerBatchCommands } from './service';
export type { BatchPorts, WatchPorts } from './ports';
