// Checks process.exit(n) called inside an 'exit' listener replaces the code and stops remaining listeners.
process.on('exit', (code) => {
  console.log('listener 1 got', code);
  process.exit(12);
});
process.on('exit', (code) => console.log('listener 2: never', code));
setTimeout(() => {
  console.log('timer exits with 3');
  process.exit(3);
}, 1);
