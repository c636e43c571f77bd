// Checks AbortSignal.timeout and AbortSignal.any driving timers/promises and events: a timeout signal
// aborts a longer sleep with a TimeoutError, AbortSignal.any follows whichever source aborts first (a
// controller aborted from an immediate, before a timeout signal fires), an already-aborted source
// makes any() abort at once, events.addAbortListener runs its listener in the abort's own turn, and
// a timeout signal's timer does not keep the process alive.
'use strict';
const { setTimeout: sleep } = require('timers/promises');
const { addAbortListener } = require('events');
const log = (message) => console.log(message);
const describe = (e) => `${e.name}${e.cause ? ` (cause ${e.cause.name})` : ''}`;

async function main() {
  try {
    await sleep(50, null, { signal: AbortSignal.timeout(5) });
  } catch (e) {
    log(`sleep 50 with timeout(5): ${describe(e)}`);
  }

  const controller = new AbortController();
  const either = AbortSignal.any([controller.signal, AbortSignal.timeout(1000)]);
  addAbortListener(either, () => log(`any() aborted, reason ${either.reason}`));
  setImmediate(() => {
    log('immediate aborts the controller');
    controller.abort('by hand');
    log('abort returned');
  });
  try {
    await sleep(100, null, { signal: either });
  } catch (e) {
    log(`sleep 100 with any(): ${describe(e)}, reason ${either.reason}`);
  }

  const already = AbortSignal.any([AbortSignal.abort('early'), new AbortController().signal]);
  log(`already aborted: ${already.aborted}, reason ${already.reason}`);

  // any() holds its sources weakly; a timeout signal with a listener is kept until it fires, so this
  // one cannot be collected first (which would leave the sleep to run its full 20 ms).
  const source = AbortSignal.timeout(2);
  source.addEventListener('abort', () => log('timeout(2) fired'));
  const timeoutOnly = AbortSignal.any([source]);
  try {
    await sleep(20, null, { signal: timeoutOnly });
  } catch (e) {
    log(`sleep 20 with any(timeout(2)): ${describe(e)}, source aborted ${source.aborted}`);
  }

  // The timer behind AbortSignal.timeout does not keep the loop alive: nothing else is pending, so the
  // process exits before it fires.
  AbortSignal.timeout(5).addEventListener('abort', () => log('not printed'));
  process.on('exit', () => log('exit before the last timeout signal fired'));
}
main();
