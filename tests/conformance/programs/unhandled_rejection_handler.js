// Checks 'unhandledRejection' listeners: reasons arrive in creation order, after the drain, and the status stays 0.
process.on('unhandledRejection', (reason, promise) => {
  const text = reason instanceof Error ? reason.message : String(reason);
  console.log('unhandledRejection:', text, promise instanceof Promise);
});
Promise.reject(new Error('first'));
Promise.reject('second (a string)');
new Promise((_, reject) => setImmediate(() => reject(new Error('third, later'))));
Promise.reject(undefined);
const handledInTime = Promise.reject(new Error('handled in the same drain'));
process.nextTick(() => handledInTime.catch(() => console.log('caught in a tick, no event')));
Promise.resolve().then(() => console.log('microtasks run before the events'));
process.on('exit', (code) => console.log('exit', code));
