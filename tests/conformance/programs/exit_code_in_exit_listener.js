// Checks that setting process.exitCode inside an 'exit' listener changes the process status.
process.on('exit', (code) => {
  console.log('first listener sees', code);
  process.exitCode = 17;
});
process.on('exit', (code) => console.log('second listener still gets', code, 'exitCode', process.exitCode));
console.log('main');
