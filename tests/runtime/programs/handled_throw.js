// The main module throws with an 'uncaughtException' listener: ticks queued before the throw still run
// before the first timer, and the loop goes on, as in node.
process.on('uncaughtException', (err) => console.log('handled', err.message));
process.nextTick(() => console.log('tick'));
setTimeout(() => console.log('timer'), 0);
setImmediate(() => console.log('immediate'));
throw new Error('from main');
