/** Invalid setting values, said as catalogue messages that also carry the setting they are about. */
import type { Message } from './messages';

/**
 * A sentence about an invalid setting value (a `Message`: `english` and the host's `localize` format it) and the
 * setting to open for it ("Open Settings"), kept as data so no one reads it back from the shown text.
 */
export interface SettingProblem extends Message {
  /** A setting id as package.json declares it, e.g. `tierwise.routing.perTier`, `tierwise.tasks`. */
  readonly setting: string;
}

export function settingProblem(setting: string, message: Message): SettingProblem {
  return { ...message, setting };
}
