// Checks the extra microtask turns when a promise is resolved with a native promise or a thenable.
const order = [];
const base = Promise.resolve('base');
new Promise((r) => r(base)).then(() => order.push('resolve(native promise)'));
Promise.resolve(base).then(() => order.push('Promise.resolve(native) is same object'));
Promise.resolve({ then(r) { r('t'); } }).then(() => order.push('Promise.resolve(thenable)'));
(async () => base)().then(() => order.push('async return native'));
(async () => 'plain')().then(() => order.push('async return plain'));
Promise.resolve().then(() => order.push('tick1')).then(() => order.push('tick2'))
  .then(() => order.push('tick3')).then(() => order.push('tick4'));
console.log('same object:', Promise.resolve(base) === base);
setTimeout(() => console.log(order.join('\n')), 0);
