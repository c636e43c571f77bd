// An uncaught exception from the main module: node's message and exit code 1.
setTimeout(() => console.log('never'), 10);
process.nextTick(() => console.log('tick before the throw is reported?'));
console.log('about to throw');
throw new Error('boom from main');
