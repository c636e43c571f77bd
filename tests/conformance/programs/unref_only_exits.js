// Checks that a process with only unref'd timers and intervals exits at once, emitting beforeExit and exit.
setTimeout(() => console.log('never'), 10).unref();
setInterval(() => console.log('never interval'), 1).unref();
let before = 0;
process.on('beforeExit', () => console.log('beforeExit', ++before));
process.on('exit', (c) => console.log('exit', c));
console.log('end of main');
