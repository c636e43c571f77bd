// Whether V8 accepts the code cache a fresh node made for this source (LOOPSIM_TEST_CODE_CACHE, base64);
// `node code_cache.js make` prints that cache.
const vm = require('vm');
const source = 'function loopsimProbe(a) { return a + 1; }\nloopsimProbe(1);\n';
const cache = process.env.LOOPSIM_TEST_CODE_CACHE;
if (process.argv[2] === 'make') {
  console.log(new vm.Script(source).createCachedData().toString('base64'));
} else {
  const script = new vm.Script(source, { cachedData: Buffer.from(cache, 'base64') });
  console.log(script.cachedDataRejected ? 'rejected' : 'accepted');
}
