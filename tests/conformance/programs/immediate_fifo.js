// Checks that immediates run in FIFO order with their arguments, in one check phase.
const out = [];
for (let i = 0; i < 10; i++) setImmediate((n, sq) => out.push(n + ':' + sq), i, i * i);
setImmediate(() => console.log(out.join(' ')));
