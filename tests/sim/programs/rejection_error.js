// Fails with an unhandled rejection of an Error, thrown after an await (its stack holds only user frames).
async function load() {
  await null;
  throw new TypeError('cannot load');
}
setTimeout(() => {
  load();
}, 1);
