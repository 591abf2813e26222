export { type CallEnd, recordCall } from './callRecord';
export { registerEditorCommands } from './commands';
export { LearnedRoutingStore, registerLearnedRoutingCommands } from './learnedRouting';
export { type Answers, type PendingRequest } from './pending';
export { Recent } from './recent';
export { RequestService } from './requests';
export { confirmSpend, countedRouteInput, keyReady } from './sendChecks';
export type { CountPorts, KeyPorts, RecordPorts, RequestPorts, SpendPorts } from './ports';
