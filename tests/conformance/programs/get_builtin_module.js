// Checks process.getBuiltinModule: it returns the same objects require() does (with or without the
// node: prefix), undefined for a name that is not built in (instead of throwing), and a module fetched
// this way works across the loop: its fs.readFile and timers/promises calls complete in later turns.
// requires: node >= 20.16
'use strict';
const log = (message) => console.log(message);

const fs = process.getBuiltinModule('fs');
log(`fs is require('fs'): ${fs === require('fs')}, node:fs too: ${process.getBuiltinModule('node:fs') === fs}`);
log(`unknown: ${process.getBuiltinModule('no-such-builtin')}, a user module: ${process.getBuiltinModule('./get_builtin_module.js')}`);
try {
  process.getBuiltinModule(42);
} catch (e) {
  log(`non-string: ${e.code}`);
}

const { setTimeout: sleep } = process.getBuiltinModule('timers/promises');
const path = process.getBuiltinModule('path');
process.nextTick(() => log('tick'));
fs.readFile(__filename, 'utf8', (err, text) => {
  log(`readFile through it: ${err} ${text.split('\n')[0].slice(3, 40)}`);
  sleep(2, path.basename(__filename)).then((name) => log(`sleep through it resolved with ${name}`));
});
log('main script end');
