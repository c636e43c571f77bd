// Checks Promise.try: the callback runs synchronously, inside the call; a returned value, a thrown
// error and a returned promise each settle the result, in the microtask turns counted against
// queueMicrotask and a tick; arguments are passed through.
// requires: node >= 23
'use strict';
const log = (message) => console.log(message);
const order = [];

const fromValue = Promise.try((a, b) => { order.push('callback runs inside try'); return a + b; }, 2, 3);
order.push('after try');
const fromThrow = Promise.try(() => { throw new Error('thrown inside'); });
const fromPromise = Promise.try(() => new Promise((resolve) => setTimeout(resolve, 2, 'from a timer')));
process.nextTick(() => order.push('tick'));
queueMicrotask(() => order.push('microtask'));
fromValue.then((v) => order.push(`value ${v}`));
fromThrow.catch((e) => order.push(`caught ${e.message}`));

fromPromise.then((v) => {
  order.push(`promise ${v}`);
  log(order.join('\n'));
});
