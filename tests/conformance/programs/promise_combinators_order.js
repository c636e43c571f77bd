// Checks settlement order of Promise.all, race, allSettled and any relative to a then-chain.
const log = (m) => console.log(m);
const r1 = Promise.resolve(1);
const r2 = Promise.reject(new Error('two'));
r2.catch(() => {});
Promise.all([r1, 3]).then((v) => log('all ' + v));
Promise.race([r2, r1]).catch((e) => log('race rejected ' + e.message));
Promise.allSettled([r1, r2]).then((v) => log('allSettled ' + v.map((x) => x.status).join('/')));
Promise.any([r2, r1]).then((v) => log('any ' + v));
Promise.any([r2]).catch((e) => log('any rejected ' + e.constructor.name + ' ' + e.errors.length));
Promise.resolve()
  .then(() => log('chain 1'))
  .then(() => log('chain 2'))
  .then(() => log('chain 3'))
  .then(() => log('chain 4'));
