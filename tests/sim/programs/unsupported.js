// Reaches a part of libuv loopsim does not simulate (a node program run by spawnSync, on a loop of
// node's own): every run stops with exit 70.
require('child_process').spawnSync(process.execPath, ['-e', '1']);
