/** Messages every part uses. */
export const COMMON_MESSAGES = {
  'common.joined': '{0}{1}{2}',
  // Text shown as it is, in every language: a task label or noun from the user's settings, a product name, an
  // error's own text from the provider.
  'common.asIs': '{0}',
} as const;
