/**
 * Many requests started at once each run a stretch of synchronous work (routing, counting, building the HTTP
 * request). Run back to back they hold the event loop for all of it together; taking turns, each stretch gets a
 * turn of the event loop of its own, and timers, I/O and the UI's messages run in between.
 *
 * `takeTurns()` gives a function whose promise resolves in a later turn of the event loop than the previous
 * caller's (setImmediate queued once the previous turn has come). Idle, it costs one turn.
 */
export function takeTurns(): () => Promise<void> {
  let last: Promise<void> = Promise.resolve();
  return () => (last = last.then(() => new Promise<void>((resolve) => setImmediate(resolve))));
}
