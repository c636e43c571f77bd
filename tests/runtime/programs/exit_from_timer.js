// Ends with process.exit() from a timer, with a code and output that depend on the seed: a recycled
// zygote child must end such a seed as `loopsim run` does, and put itself back after it.
'use strict';
const code = Math.random() < 0.5 ? 0 : 3;
process.on('exit', (c) => console.log('exit', c));
setTimeout(() => {
  console.log('timer', Math.random().toFixed(6));
  process.exit(code);
}, Math.floor(Math.random() * 20));
setTimeout(() => console.log('never'), 50);
