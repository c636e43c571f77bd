// A forked child (its stderr is the program's) throws from a timer: node reports the error on the
// child's stderr and the child exits with code 1.
const { fork } = require('child_process');

if (process.argv[2] === 'child') setTimeout(() => { throw new Error('boom'); }, 5);
else fork(__filename, ['child']).on('exit', (code, signal) => console.log('exit', code, signal));
