// Checks that setImmediate scheduled inside a timer callback always runs before setTimeout(0) scheduled there.
let round = 0;
function go() {
  if (round++ === 5) return;
  const r = round;
  setTimeout(() => { console.log('timeout', r); go(); }, 0);
  setImmediate(() => console.log('immediate', r));
}
setTimeout(go, 2);
