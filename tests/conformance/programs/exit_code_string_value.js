// Checks process.exitCode and process.exit() with a numeric string on Node 18 (accepted and coerced).
// Every major accepts the string and exits 8. Node 18 and 20 (NAME.v18.stdout, NAME.v20.stdout) keep
// the value assigned to process.exitCode in a JavaScript variable that the getter returns, so it reads
// back as the string and the 'exit' listener gets the string; from Node 22 the getter reads the exit
// code field node shares with C++ (an Int32Array slot, lib/internal/bootstrap/node.js), so both are
// numbers.
process.on('exit', (code) => console.log('exit listener got', typeof code, code));
process.exitCode = '3';
console.log('exitCode reads back as', typeof process.exitCode, process.exitCode);
setTimeout(() => process.exit('8'), 1);
