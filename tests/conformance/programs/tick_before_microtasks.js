// Checks that after the main script, all nextTicks run before promise jobs and queueMicrotask callbacks.
console.log('main start');
Promise.resolve().then(() => console.log('promise 1'));
queueMicrotask(() => console.log('microtask 1'));
process.nextTick(() => console.log('tick 1'));
Promise.resolve().then(() => console.log('promise 2'));
process.nextTick(() => console.log('tick 2'));
queueMicrotask(() => console.log('microtask 2'));
process.nextTick((a, b) => console.log('tick 3 args', a, b), 'x', 42);
console.log('main end');
