// Checks that a throw inside queueMicrotask reaches 'uncaughtException' (not unhandledRejection) and later microtasks still run.
process.on('uncaughtException', (err, origin) => {
  console.log('uncaughtException:', err.message, 'origin:', origin);
});
process.on('unhandledRejection', () => console.log('unexpected unhandledRejection'));
queueMicrotask(() => console.log('microtask 1'));
queueMicrotask(() => { throw new Error('boom in microtask'); });
queueMicrotask(() => console.log('microtask 3'));
Promise.resolve().then(() => console.log('promise after'));
process.nextTick(() => console.log('tick first'));
setTimeout(() => console.log('timer still runs'), 5);
process.on('exit', (c) => console.log('exit', c));
