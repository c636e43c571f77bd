// Reaches a part of libuv loopsim does not simulate (a node child process): every run stops with exit 70.
require('child_process').spawn(process.execPath, ['-e', '1']);
