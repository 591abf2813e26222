export { BatchService, registerBatchCommands } from './service';
