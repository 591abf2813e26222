/** The settings part of the message catalogue: id → English template, `{0}`, `{1}`… in order. */
export const SETTINGS_MESSAGES = {
  // tierwise.models
  'settings.models.notList': '{0} must be a list of { "provider", "id", … } entries; ignored (catalogue prices are used).',
  'settings.models.notObject': '{0}: must be an object like { "provider": "openai", "id": "gpt-4o", "input": 2.5 }; entry ignored.',
  'settings.models.unknownProvider': '{0}: unknown provider {1} (one of {2}); entry ignored.',
  'settings.models.missingId': '{0}: "id" (the model name) is missing; entry ignored.',
  'settings.models.badNumber': '{0} ({1}): "{2}" must be a number ≥ 0, not {3}; the catalogue value is used.',
  'settings.models.badCurrency': '{0} ({1}): "currency" must be USD or CNY, not {2}; the provider\'s currency is used.',
  // tierwise.telemetry.*
  'settings.telemetry.endpoint': 'tierwise.telemetry.otlpEndpoint: must be an http(s) URL; export stays off.',
  'settings.telemetry.headers': "tierwise.telemetry.headers: only header names are kept (letters, digits and !#$%&'*+.^_`|~-).",
  'settings.telemetry.attribute': 'tierwise.telemetry.resourceAttributes: {0} is not used (a name of letters, digits, _ . - and a text value).',
} as const;
