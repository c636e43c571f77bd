// process.exit(code) from a timer callback: the run ends there with that code and nothing on stderr.
setTimeout(() => {
  console.log('exiting with 3');
  process.exit(3);
}, 1);
setTimeout(() => console.log('never printed'), 1000);
