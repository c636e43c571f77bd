// fork() with an IPC channel: messages in each direction arrive in send order, the child sees the
// parent's disconnect, and the parent sees 'exit' (code 0) before 'close'.
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  const got = [];
  process.on('message', (m) => {
    got.push(m.n);
    process.send({ echo: m.n * 10 });
  });
  process.on('disconnect', () => console.log('child: disconnected after', got.join(',')));
} else {
  const child = fork(__filename, ['child']);
  const replies = [];
  child.on('message', (m) => {
    replies.push(m.echo);
    if (replies.length === 3) {
      console.log('parent: replies', replies.join(','));
      child.disconnect();
    }
  });
  child.on('exit', (code, signal) => console.log('parent: exit', code, signal));
  child.on('close', (code, signal) => console.log('parent: close', code, signal));
  for (const n of [1, 2, 3]) child.send({ n });
  console.log('parent: connected', child.connected, typeof child.pid);
}
