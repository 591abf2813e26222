export { Destinations, SettingsReporter } from './destinations';
export { KeyStore } from './keys';
export { appendListNotices, ModelListService } from './modelLists';
export { SetupService } from './setup';
