import type { Provider } from '@nestjs/common';
import { officeSettings, type OfficeSettings } from './office-settings.js';

/** What `OfficesModule.forRoot` is given (the API, tests); absent (the CLI), the environment's settings apply. */
export const OFFICE_OPTIONS = Symbol('OFFICE_OPTIONS');
/** The settings in force: the options over `loadOfficeSettings()`. */
export const OFFICE_SETTINGS_RESOLVED = Symbol('OFFICE_SETTINGS_RESOLVED');

export const officeSettingsProvider: Provider = {
  provide: OFFICE_SETTINGS_RESOLVED,
  useFactory: (options?: Partial<OfficeSettings>): OfficeSettings => officeSettings(options ?? {}),
  inject: [{ token: OFFICE_OPTIONS, optional: true }],
};
