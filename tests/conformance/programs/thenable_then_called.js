// Checks when a thenable's then() is invoked (asynchronously, one job later) and that late resolution delays await.
const thenable = {
  then(resolve, reject) {
    console.log('then called with', typeof resolve, typeof reject);
    process.nextTick(() => { console.log('thenable resolving'); resolve('late'); });
  },
};
async function main() {
  console.log('before await');
  const v = await thenable;
  console.log('await gave', v);
  const w = await { then(res) { res({ then(res2) { res2('nested'); } }); } };
  console.log('nested thenable gave', w);
  try {
    await { then(_, rej) { rej(new Error('thenable rejected')); } };
  } catch (e) {
    console.log('caught', e.message);
  }
}
main().then(() => console.log('main done'));
console.log('sync end');
