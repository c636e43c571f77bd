// Checks a synchronous throw in the main script: output before it is kept, status 1, nothing queued runs.
process.on('exit', (code) => console.log('exit', code));
console.log('before throw');
process.nextTick(() => console.log('tick: never'));
setTimeout(() => console.log('timer: never'), 0);
null.property;
