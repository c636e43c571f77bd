// Signals to children: SIGTERM ends a child that does not listen for it (exit null, 'SIGTERM');
// a child listening for SIGTERM handles it and exits on its own terms; kill(0) only probes; and a
// signal to a child that has exited does nothing (kill returns false).
const { spawn, fork } = require('child_process');

if (process.argv[2] === 'listener') {
  process.on('SIGTERM', (signal) => {
    console.log('child: got', signal);
    process.exit(5);
  });
  process.send('ready');
  setInterval(() => {}, 1000);
} else {
  const idle = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)']);
  idle.on('spawn', () => {
    console.log('probe', idle.kill(0), idle.killed);
    console.log('kill', idle.kill(), idle.killed);
  });
  idle.on('exit', (code, signal) => {
    console.log('idle exit', code, signal);
    const listener = fork(__filename, ['listener']);
    listener.on('message', () => listener.kill('SIGTERM'));
    listener.on('exit', (code, signal) => {
      console.log('listener exit', code, signal);
      console.log('kill after exit', listener.kill());
    });
  });
}
