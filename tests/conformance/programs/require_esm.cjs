// Checks require() of an ES module (no flag needed from Node 20.19 and 22.12): it evaluates the module
// synchronously, inside the require call, gives its namespace (with __esModule for a default export),
// returns the cached namespace on a second require and shares it with import(); a module with
// top-level await is refused with ERR_REQUIRE_ASYNC_MODULE. A timer set before the requires still
// fires after them.
// requires: node >= 20.19
'use strict';
const log = (message) => console.log(message);

setTimeout(() => log('timeout set before the requires'), 0);
process.nextTick(() => log('tick queued before the requires'));
log('before require');
const plain = require('./modules/plain.mjs');
log(`after require: name ${plain.name}, add ${plain.add(20, 22)}, keys ${Object.keys(plain).sort().join(',')}`);
log(`required again: same namespace ${require('./modules/plain.mjs') === plain}`);
const counter = require('./modules/default_export.mjs');
log(`default export: __esModule ${counter.__esModule}, default ${typeof counter.default}, ${counter.default()}`);
try {
  require('./modules/tla.mjs');
} catch (e) {
  log(`tla: ${e.code}`);
}
import('./modules/plain.mjs').then((ns) => log(`import() gives the same namespace: ${ns === plain}`));
log('main script end');
