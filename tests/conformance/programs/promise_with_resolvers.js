// Checks Promise.withResolvers: a promise settled later from a timer, an immediate and an event
// listener, resolved twice (the second call is ignored), rejected with a handler attached in time, and
// how many microtask turns a resolution takes to reach an await compared with a tick queued beside it.
// requires: node >= 22
'use strict';
const { EventEmitter } = require('events');
const log = (message) => console.log(message);

async function main() {
  const timer = Promise.withResolvers();
  setTimeout(() => { timer.resolve('from a timer'); timer.resolve('ignored'); }, 5);
  log(`timer: ${await timer.promise}`);

  const immediate = Promise.withResolvers();
  setImmediate(immediate.resolve, 'from an immediate');
  process.nextTick(() => log('tick queued beside the immediate'));
  log(`immediate: ${await immediate.promise}`);

  const emitter = new EventEmitter();
  const event = Promise.withResolvers();
  emitter.once('ready', event.resolve);
  setTimeout(() => emitter.emit('ready', 'from an event'), 1);
  log(`event: ${await event.promise}`);

  const failing = Promise.withResolvers();
  setTimeout(() => failing.reject(new Error('from a timer too')), 1);
  try {
    await failing.promise;
  } catch (e) {
    log(`rejected: ${e.message}`);
  }

  const race = Promise.withResolvers();
  const order = [];
  race.promise.then(() => order.push('then'));
  process.nextTick(() => order.push('tick'));
  queueMicrotask(() => order.push('microtask'));
  race.resolve();
  await race.promise;
  order.push('await');
  await new Promise((resolve) => setImmediate(resolve));
  log(`settling order: ${order.join(', ')}`);
  log(`withResolvers keys: ${Object.keys(Promise.withResolvers()).join(',')}`);
}
main();
