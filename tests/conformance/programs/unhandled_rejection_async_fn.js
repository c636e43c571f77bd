// Checks that a throwing async function whose promise is ignored exits with status 1 after pending microtasks.
async function fails() {
  await null;
  console.log('async fn runs one turn');
  throw new RangeError('async failure');
}
process.on('exit', (code) => console.log('exit', code));
fails();
setImmediate(() => console.log('immediate: never'));
