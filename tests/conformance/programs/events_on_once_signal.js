// Checks events.once and events.on with an AbortSignal: once resolves with the event's arguments and
// rejects on 'error', an abort rejects a pending once with AbortError, and the async iterator of on()
// buffers events emitted in one turn, yields them in later turns, and ends with AbortError when the
// signal aborts from a timer.
'use strict';
const { EventEmitter, once, on } = require('events');
const log = (message) => console.log(message);

async function main() {
  const ee = new EventEmitter();
  setTimeout(() => ee.emit('ready', 'a', 1), 1);
  log(`once ready: ${JSON.stringify(await once(ee, 'ready'))}`);

  setImmediate(() => ee.emit('error', new Error('boom')));
  try {
    await once(ee, 'never');
  } catch (e) {
    log(`once rejected by error: ${e.message}`);
  }

  const ac = new AbortController();
  setTimeout(() => ac.abort(), 1);
  try {
    await once(ee, 'never', { signal: ac.signal });
  } catch (e) {
    log(`once aborted: ${e.name} ${e.code}`);
  }
  log(`listeners left for never: ${ee.listenerCount('never')}`);

  const stop = new AbortController();
  setImmediate(() => {
    ee.emit('tick', 1);
    ee.emit('tick', 2);
    ee.emit('tick', 3);
    log('emitted three in one immediate');
    setTimeout(() => { ee.emit('tick', 4); stop.abort(); }, 5);
  });
  try {
    for await (const [n] of on(ee, 'tick', { signal: stop.signal })) {
      log(`iterator got ${n}`);
    }
  } catch (e) {
    log(`iterator ended: ${e.name}`);
  }
  log(`tick listeners left: ${ee.listenerCount('tick')}`);
}
main();
