/** The setup part of the message catalogue: id → English template, `{0}`, `{1}`… in order. */
export const SETUP_MESSAGES = {
  // Check Setup: the fixes (buttons).
  'setup.fix.setKey': 'Set API Key',
  'setup.fix.replaceKey': 'Replace API Key',
  'setup.fix.openSetting': 'Open Setting',
  'setup.fix.findLocalModels': 'Find Local Models',
  'setup.fix.switchRegion': 'Switch to {0}',
  'setup.fix.assignModels': 'Assign Models to Tiers',
  'setup.fix.showLog': 'Show Log',

  // Check Setup: the key.
  'setup.key.notNeededLocal': 'No key needed (a server on this machine).',
  'setup.key.notNeeded': 'No key needed by this endpoint.',
  'setup.key.set': 'API key set (in VS Code secret storage).',
  'setup.key.missing': 'No API key is set for {0}.',
  'setup.skipped.noKey': 'Not checked without a key.',
  'setup.skipped.unreachable': 'Not checked: the endpoint did not answer.',

  // Check Setup: the endpoint ({0} its base URL).
  'setup.endpoint.answers': '{0} answers.',
  'setup.endpoint.answersNoList': '{0} answers (no model list: HTTP {1}).',
  'setup.endpoint.rejected': '{0} rejected the key (HTTP {1}).',
  'setup.endpoint.rejectedRegion': '{0} rejected the key (HTTP {1}). DashScope keys work only in their own region: this one may belong to the other region.',
  'setup.endpoint.unreachable': '{0} cannot be reached ({1}).',
  'setup.endpoint.unreachableLocal': '{0} cannot be reached ({1}). Is the local server running?',

  // Check Setup: DashScope's region.
  'setup.region': 'Region: {0}; prices in {1}.',
  'setup.region.china': 'China (Beijing)',
  'setup.region.international': 'International (Singapore)',
  'setup.region.us': 'US (Virginia)',
  // The international region inside a sentence ("the international (Singapore) region").
  'setup.region.internationalInSentence': 'international (Singapore)',
  'setup.currency.cny': 'CNY',
  'setup.currency.usd': 'USD',

  // Check Setup: the models ({1} a tier name).
  'setup.models.none': 'The endpoint lists no models.',
  'setup.models.listedOne': '1 model listed',
  'setup.models.listed': '{0} models listed',
  'setup.models.allListedOne': "1 model listed, including every tier's model.",
  'setup.models.allListed': "{0} models listed, including every tier's model.",
  'setup.models.missing': '"{0}" ({1} tier, {2}) is not in {3}\'s model list ({4}).',
  'setup.models.missingClosest': '"{0}" ({1} tier, {2}) is not in {3}\'s model list ({4}). Closest listed: {5}.',
  'setup.models.missingForKey': '"{0}" ({1} tier, {2}) is not in {3}\'s model list for this key ({4}).',
  'setup.models.missingForKeyClosest': '"{0}" ({1} tier, {2}) is not in {3}\'s model list for this key ({4}). Closest listed: {5}.',
  'setup.models.wasShutDown': '"{0}" ({1} tier) was shut down on {2}, says {3}\'s model list.',
  'setup.models.shutsDown': '"{0}" ({1} tier) shuts down on {2}, says {3}\'s model list.',

  // Check Setup: the latency of one tiny call.
  'setup.latency.noModel': 'No tier model to call.',
  'setup.latency.ok': 'One call of max_tokens 1 on {0}: {1} ms.',
  'setup.latency.failed': 'A call of max_tokens 1 on {0} failed: {1}',

  // Local servers.
  'setup.local.llamacpp': 'llama.cpp server',

  // Gateway models: where the price comes from ({0} a model).
  'setup.gateway.listPriceReported': "list price of {0} for estimates; the ledger uses the gateway's cost",
  'setup.gateway.listPrice': "list price of {0}; the gateway's cost is recorded after the call",
  'setup.gateway.noListPriceReported': "no list price for {0}: the ledger uses the gateway's cost; for an estimate before each call, add to tierwise.models: {1}",
  'setup.gateway.priceUnknown': 'price unknown: the gateway reports no cost for {0} yet; set its price (per million tokens) in tierwise.models: {1}',

  // Destinations: a workspace value held back.
  'setup.withheld.untrusted': "This workspace's {0} ({1}) is ignored in Restricted Mode: {2} requests go to {3} from {4}.",
  'setup.withheld.unapproved': "This workspace's {0} ({1}) is not approved for this workspace: {2} requests go to {3} from {4}.",
  'setup.withheld.fromDefault': 'the provider default',
  'setup.withheld.fromUser': 'your own settings',
} as const;
