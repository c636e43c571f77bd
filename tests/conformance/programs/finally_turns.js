// Checks that .finally passes values through and costs extra turns compared with .then.
const log = [];
Promise.resolve('v').finally(() => log.push('finally runs')).then((v) => log.push('after finally got ' + v));
Promise.resolve('w').then((v) => v).then((v) => log.push('after then got ' + v));
Promise.reject(new Error('e')).finally(() => log.push('finally on rejection'))
  .catch((e) => log.push('caught after finally ' + e.message));
Promise.resolve().finally(() => { throw new Error('from finally'); })
  .catch((e) => log.push('finally throw replaces value: ' + e.message));
let n = 0;
const clock = () => { log.push('turn ' + ++n); if (n < 6) return Promise.resolve().then(clock); };
clock();
setImmediate(() => console.log(log.join('\n')));
