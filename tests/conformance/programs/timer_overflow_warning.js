// Checks that a delay above 2^31-1 fires like a 1 ms timer (TimeoutOverflowWarning goes to stderr only).
process.on('warning', (w) => console.log('warning event:', w.name));
setTimeout(() => console.log('overflowed timer fired'), 2 ** 31);
setTimeout(() => console.log('second overflow fired'), 1e15);
setTimeout(() => console.log('50 ms timer fired'), 50);
