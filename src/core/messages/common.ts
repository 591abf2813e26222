/** Messages every part uses. */
export const COMMON_MESSAGES = {
  'common.joined': '{0}{1}{2}',
} as const;
