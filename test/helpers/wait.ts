/**
 * Waits for an observable condition, checking it every few milliseconds, and fails after `ms`. For waiting on
 * something that will happen; never for showing that something did not (wait for what would come first instead).
 */
export async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('waitFor: condition not met');
    await new Promise((r) => setTimeout(r, 2));
  }
}
