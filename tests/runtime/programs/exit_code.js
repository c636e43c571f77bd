// process.exitCode and an 'exit' listener.
process.on('exit', (code) => console.log('exit', code));
setTimeout(() => { process.exitCode = 3; }, 1);
