// Checks timers/promises' scheduler: scheduler.wait resolves after its delay like setTimeout from
// timers/promises (and rejects with AbortError when its signal aborts), scheduler.yield resumes in
// the next check phase, after the immediates queued before it, and the setInterval async iterator
// ends cleanly with its signal.
'use strict';
const { scheduler, setInterval: every } = require('timers/promises');
const log = (message) => console.log(message);

async function main() {
  setImmediate(() => log('immediate queued before yield'));
  await scheduler.yield();
  log('after yield');
  await new Promise((resolve) => setImmediate(() => { log('immediate queued after yield'); resolve(); }));

  await scheduler.wait(5);
  log('after wait(5)');

  const ac = new AbortController();
  setTimeout(() => ac.abort(), 2);
  try {
    await scheduler.wait(100, { signal: ac.signal });
  } catch (e) {
    log(`wait aborted: ${e.name}`);
  }

  const stop = new AbortController();
  let n = 0;
  try {
    for await (const value of every(3, 'beat', { signal: stop.signal })) {
      n += 1;
      log(`${value} ${n}`);
      if (n === 3) stop.abort();
    }
  } catch (e) {
    log(`interval ended: ${e.name}`);
  }
}
main();
