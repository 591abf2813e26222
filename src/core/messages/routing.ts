/** The routing part of the message catalogue: id → English template, `{0}`, `{1}`… in order. */
export const ROUTING_MESSAGES = {
  // Tier names, as arguments of the sentences below ("simple tier", "简单层级").
  'routing.tier.simple': 'simple',
  'routing.tier.medium': 'medium',
  'routing.tier.complex': 'complex',

  // Separators of lists in a reason line.
  'routing.separator.comma': ', ',
  'routing.separator.semicolon': '; ',
  'routing.list.and': '{0} and {1}',

  // The reason line: {0} tier, {1} what the request is, {2} input tokens, {3} model.
  'routing.reason.auto': '{0} tier: {1}, {2} input tokens → {3}',
  'routing.reason.autoBecause': '{0} tier: {1}, {2} input tokens → {3} ({4})',
  'routing.reason.autoCheapest': '{0} tier: {1}, {2} input tokens → {3} (cheapest of {4})',
  'routing.reason.tierChosen': '{0} tier (your choice): {1}, {2} input tokens → {3}',
  'routing.reason.tierChosenBecause': '{0} tier (your choice): {1}, {2} input tokens → {3} ({4})',
  'routing.reason.tierChosenCheapest': '{0} tier (your choice): {1}, {2} input tokens → {3} (cheapest of {4})',
  'routing.reason.modelChosen': '{0} tier: {1}, {2} input tokens → {3} (your choice)',
  'routing.reason.escalated': '{0} tier (escalated from {1}: {2}) → {3}',
  'routing.reason.escalatedOnRequest': '{0} tier (escalated from {1} on request) → {2}',
  // Notes the host adds to a reason line: a warning (a deprecated model), or a note (a lower tier was taken).
  'routing.reason.withWarning': '{0} · ⚠ {1}',
  'routing.reason.withNote': '{0} · {1}',

  // What decided an auto route's tier.
  'routing.reason.judged': 'judged {0} by {1} (the rules were unsure: {2})',
  'routing.reason.learnedOne': 'like a past request you moved to {0} ({1})',
  'routing.reason.learnedMany': 'like {0} past requests you moved to {1} ({2})',

  // Why a model was passed over.
  'routing.cause.longDocument': '{0} tokens count as a long document, over {1}',
  'routing.cause.overInputLimit': "{0} tokens exceed {1}'s input limit of {2}",
  'routing.cause.overWindow': "{0} tokens exceed {1}'s {2} window",
  'routing.cause.overWindowWithAnswer': "{0} tokens + {1} output exceed {2}'s {3} window",

  // Refusals, shown before anything is sent.
  'routing.error.unknownTask': 'Unknown task "{0}".',
  'routing.error.modelTooSmall': '{0}: {1}; choose another model or select less text.',
  'routing.error.tooLarge': '{0}: {1} input tokens plus the answer do not fit any {2}. Select less text or choose a model.',
  'routing.error.tooLargeLargest': "{0}: {1} input tokens plus the answer do not fit any {2}; the largest window is {3}'s {4}. Select less text or choose a model.",
  'routing.scope.tier': '{0}-tier model',
  'routing.scope.tierOn': '{0}-tier model on {1}',
  'routing.scope.fromTier': '{0}-tier or higher model',
  'routing.scope.fromTierOn': '{0}-tier or higher model on {1}',

  // The budget question.
  'routing.budget.raise': 'Moving to {0} ({1} tier) raises the estimate from {2} to up to {3}, over the remaining budget of {4}.',
  'routing.budget.over': 'This request may cost up to {0} on {1}, over the remaining budget of {2}.',

  // The complexity router's signals.
  'routing.signal.asksFor': 'asks for {0}',
  'routing.signal.asksForSteps': 'asks for {0} ({1} steps)',
  'routing.signal.asksForMultiStep': 'asks for {0} ({1} steps: multi-step work)',
  'routing.signal.noClearTask': 'no clear task in the request',
  'routing.signal.noClearTaskMultiStep': 'no clear task in the request ({0} steps: multi-step work)',
  'routing.signal.longSelection': 'a long selection ({0})',
  'routing.signal.selection': 'a {0}',
  'routing.signal.size.code': '{0}-token {1} selection',
  'routing.signal.size.anyCode': '{0}-token code selection',
  'routing.signal.size.data': '{0}-token data selection',
  'routing.signal.size.prose': '{0}-token prose selection',
  'routing.signal.longRequest': 'a long request ({0} tokens)',
  'routing.signal.shortAnswer': 'a short answer wanted',
  'routing.signal.detailedAnswer': 'a detailed answer wanted',

  // What a request asks for (its intent, recognised in English and Chinese): "asks for a proof".
  'routing.intent.lookup': 'a lookup',
  'routing.intent.extraction': 'an extraction',
  'routing.intent.conversion': 'a conversion',
  'routing.intent.classification': 'a classification',
  'routing.intent.explanation': 'an explanation',
  'routing.intent.summary': 'a summary',
  'routing.intent.rewriting': 'a rewrite',
  'routing.intent.documentation': 'documentation',
  'routing.intent.comparison': 'a comparison',
  'routing.intent.review': 'a review',
  'routing.intent.design': 'a design',
  'routing.intent.proof': 'a proof',
  'routing.intent.refactoring': 'a refactoring',
  'routing.intent.implementation': 'an implementation',
  'routing.intent.debugging': 'debugging',
  'routing.intent.optimisation': 'an optimisation',

  // The built-in tasks: label (menus), noun (reason lines), and the question asked for some.
  'routing.task.classify.label': 'Classify',
  'routing.task.classify.noun': 'classification',
  'routing.task.classify.questionLabel': 'Labels',
  'routing.task.classify.questionPrompt': 'Labels to choose from, comma-separated (empty for sentiment)',
  'routing.task.extractKeywords.label': 'Extract keywords',
  'routing.task.extractKeywords.noun': 'keyword extraction',
  'routing.task.convertFormat.label': 'Convert format',
  'routing.task.convertFormat.noun': 'format conversion',
  'routing.task.convertFormat.questionLabel': 'Target format',
  'routing.task.convertFormat.questionPrompt': 'Convert to which format? (e.g. YAML, JSON, CSV)',
  'routing.task.summarise.label': 'Summarise',
  'routing.task.summarise.noun': 'summary',
  'routing.task.answer.label': 'Ask a question',
  'routing.task.answer.noun': 'question',
  'routing.task.answer.questionLabel': 'Question',
  'routing.task.answer.questionPrompt': 'Your question about the selection',
  'routing.task.rewrite.label': 'Rewrite',
  'routing.task.rewrite.noun': 'rewrite',
  'routing.task.rewrite.questionLabel': 'Instructions',
  'routing.task.rewrite.questionPrompt': 'How to rewrite it? (optional, e.g. "more formal")',
  'routing.task.explainCode.label': 'Explain code',
  'routing.task.explainCode.noun': 'code explanation',
  'routing.task.reviewCode.label': 'Review code',
  'routing.task.reviewCode.noun': 'code review',
  'routing.task.generateCode.label': 'Generate code from comment',
  'routing.task.generateCode.noun': 'code generation',
  'routing.task.analyseDocument.label': 'Analyse long document',
  'routing.task.analyseDocument.noun': 'document analysis',
  'routing.task.analyseDocument.questionLabel': 'Focus',
  'routing.task.analyseDocument.questionPrompt': 'Anything to focus on? (optional)',
} as const;
