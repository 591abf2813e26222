export { Destinations, SettingsReporter } from './destinations';
export { KeyStore } from './keys';
export { appendListNotices, ModelListService, type ModelListPorts } from './modelLists';
export { SetupService } from './setup';
export type { SetupPorts } from './ports';
