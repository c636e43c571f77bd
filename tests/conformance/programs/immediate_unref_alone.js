// Checks that a process whose only pending work is an unref'd immediate exits without running it.
setImmediate(() => console.log('never runs')).unref();
process.on('beforeExit', () => console.log('beforeExit'));
process.on('exit', (c) => console.log('exit', c));
