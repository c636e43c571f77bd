// A nontrivial mix of timers, immediates, promises and nextTicks, with one top-level race (timeout vs
// immediate), used to check that one seed always gives the same stdout, exit code and trace.
const log = (m) => console.log(m);
setTimeout(() => log('race: timeout'), 0);
setImmediate(() => log('race: immediate'));
process.nextTick(() => log('tick 1'));
Promise.resolve().then(() => log('promise 1'));
async function worker(name, delays) {
  for (const d of delays) {
    await new Promise((r) => setTimeout(r, d));
    log(`${name} woke after ${d}`);
    process.nextTick(() => log(`${name} tick`));
    await null;
  }
  return name;
}
Promise.all([worker('a', [5, 10, 1]), worker('b', [7, 3])]).then((names) => {
  log('workers ' + names.join(','));
  let n = 0;
  const iv = setInterval(() => {
    log('interval ' + ++n);
    setImmediate(() => log('immediate from interval ' + n));
    if (n === 3) clearInterval(iv);
  }, 4);
});
process.on('beforeExit', () => log('beforeExit'));
process.on('exit', (c) => log('exit ' + c));
