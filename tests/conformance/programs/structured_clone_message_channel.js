// Checks structuredClone and MessageChannel together: values that survive a clone (Map, Set, Date, a
// typed array, cycles, an Error's name and message), what a clone refuses (a function: DataCloneError),
// a transferred ArrayBuffer detached on the sending side, and messages posted from an immediate and
// two timers arriving in posting order, each in its own later turn, before the port's 'close'.
'use strict';
const { MessageChannel } = require('worker_threads');
const log = (message) => console.log(message);

const original = { map: new Map([['a', 1]]), set: new Set([2, 3]), date: new Date(0), bytes: new Uint8Array([7, 8]) };
original.self = original;
const copy = structuredClone(original);
log(`clone: map ${copy.map.get('a')}, set ${[...copy.set]}, date ${copy.date.toISOString()}, bytes ${[...copy.bytes]}, cycle ${copy.self === copy}, distinct ${copy !== original}`);
const err = structuredClone(new RangeError('out of range'));
log(`error clone: ${err instanceof RangeError} ${err.name}: ${err.message}`);
try {
  structuredClone({ f() {} });
} catch (e) {
  log(`function: ${e.name}`);
}

const { port1, port2 } = new MessageChannel();
const received = [];
port2.on('message', (message) => {
  received.push(typeof message === 'string' ? message : `buffer of ${message.byteLength}`);
  process.nextTick(() => received.push('tick after a message'));
  if (received.filter((m) => m !== 'tick after a message').length === 3) port1.close();
});
port2.on('close', () => log(`received: ${received.join(', ')}`));

setImmediate(() => {
  const buffer = new ArrayBuffer(16);
  port1.postMessage(buffer, [buffer]);
  log(`sender's buffer after transfer: ${buffer.byteLength} bytes`);
  setTimeout(() => port1.postMessage('from a 1 ms timer'), 1);
  setTimeout(() => port1.postMessage('from a 5 ms timer'), 5);
});
