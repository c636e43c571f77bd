// Checks process.exitCode and process.exit() with a numeric string on Node 18 (accepted and coerced).
process.on('exit', (code) => console.log('exit listener got', typeof code, code));
process.exitCode = '3';
console.log('exitCode reads back as', typeof process.exitCode, process.exitCode);
setTimeout(() => process.exit('8'), 1);
