// Each seed takes a while of real CPU time (an explore of many seeds can be interrupted half-way) and
// about half of them fail.
let x = 0;
for (let i = 0; i < 2e7; i++) x += i % 7;
setTimeout(() => {
  if (Math.random() < 0.5) {
    console.error(`unlucky ${x > 0}`);
    process.exit(1);
  }
}, 1);
