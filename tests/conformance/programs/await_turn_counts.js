// Checks how many microtask turns await takes for values, native promises and thenables, against a then-chain clock.
let turn = 0;
let p = Promise.resolve();
for (let i = 1; i <= 8; i++) p = p.then(() => { turn = i; });
const seen = [];
async function awaitValue() { await 1; seen.push(['value', turn]); }
async function awaitNative() { await Promise.resolve(2); seen.push(['native', turn]); }
async function awaitThenable() {
  await { then(r) { r(3); } };
  seen.push(['thenable', turn]);
}
async function awaitTwice() { await null; await null; seen.push(['twice', turn]); }
async function awaitAsyncFn() { await (async () => 5)(); seen.push(['async fn', turn]); }
awaitThenable();
awaitNative();
awaitValue();
awaitTwice();
awaitAsyncFn();
p.then(() => {
  for (const [name, t] of seen) console.log(name, 'resumed after turn', t);
});
