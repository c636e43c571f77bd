// Fails with an uncaught exception thrown from a timer callback.
setTimeout(() => {
  throw new Error('boom from a timer');
}, 1);
