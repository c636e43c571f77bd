// Reaches a part of libuv loopsim does not simulate (child processes): every run stops with exit 70.
require('child_process').spawn('ls');
