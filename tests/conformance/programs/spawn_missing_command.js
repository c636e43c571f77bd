// Checks spawning a command the machine does not have (here a name no machine has): spawn emits
// 'error' (ENOENT, with path and spawnargs) then 'close' with the negative errno and no 'exit'; the
// child's stdout still ends and closes; execFile reports the error to its callback; spawnSync returns
// the error with a null status and no output, and execFileSync throws it. loopsim's machine has no command but node, so these are what any non-node
// command gives there (commands run through a shell fail the same way: the machine has no /bin/sh).
// A write to the child's stdin is left out: Linux fails it with EPIPE, and what Windows' libuv does
// with a pipe whose child never started is not modelled by the iocp personality.
'use strict';
const cp = require('child_process');
const missing = 'loopsim-conformance-no-such-command';
const log = (message) => console.log(message);

const sync = cp.spawnSync(missing, ['a', 'b']);
log(`spawnSync: status ${sync.status} signal ${sync.signal} error ${sync.error.code} ` +
    `${sync.error.syscall} ${sync.error.path} output ${sync.output} pid ${sync.pid}`);
try {
  cp.execFileSync(missing, ['x']);
} catch (e) {
  log(`execFileSync threw ${e.code} ${e.syscall} ${JSON.stringify(e.spawnargs)}`);
}

const child = cp.spawn(missing, ['status']);
log(`spawn returned: pid ${child.pid} connected ${child.connected}`);
child.on('error', (e) => log(`error ${e.code} ${e.syscall} ${e.path} ${JSON.stringify(e.spawnargs)}`));
child.on('exit', (code, signal) => log(`exit ${code} ${signal}`));
child.on('close', (code, signal) => {
  log(`close ${code} ${signal} exitCode ${child.exitCode}`);
  cp.execFile(missing, ['y'], (err, stdout, stderr) => {
    log(`execFile callback: ${err.code} ${JSON.stringify(stdout)} ${JSON.stringify(stderr)}`);
  });
});
child.stdout.on('end', () => log('stdout end'));
child.stdout.on('close', () => log('stdout close'));
process.nextTick(() => log('next tick'));
