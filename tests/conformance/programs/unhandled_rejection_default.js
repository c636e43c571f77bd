// Checks that an unhandled rejection with no listener (default throw mode) ends the process with status 1.
process.on('exit', (code) => console.log('exit', code));
console.log('start');
Promise.reject(new Error('nobody handles this'));
process.nextTick(() => console.log('tick runs before the rejection is processed'));
Promise.resolve().then(() => console.log('microtask runs before the rejection is processed'));
setTimeout(() => console.log('timer: never'), 0);
