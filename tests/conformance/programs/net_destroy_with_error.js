// Checks socket.destroy(err): 'error' via nextTick, then 'close' with hadError true in the close phase; the peer sees end/close.
// On iocp the server socket's end comes before the immediate (NAME.iocp.stdout): the socket's first read,
// issued when Node wraps it in the connection callback, finds the client's FIN already there, succeeds at
// once and runs from libuv's pending queue in the rounds right after the poll phase (src/win/core.c,
// uv_run), before the check phase; on Linux the read waits for the next poll, after the immediate. Node
// then ends the server's side, whose shutdown (the unix stream code's, iocp_backend.cc) completes in
// those rounds too, so the server socket closes in the client's iteration, after it, and close
// callbacks run newest first (libuv's closing list, as Windows' endgame list): its 'close' first.
'use strict';
const net = require('net');
const server = net.createServer((sock) => {
  sock.on('error', (e) => console.log('server sock error', e.code));
  sock.on('end', () => console.log('server sock end'));
  sock.on('close', (hadError) => {
    console.log('server sock close', hadError);
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1', () => {
    c.destroy(new Error('boom'));
    console.log('destroyed', c.destroyed);
    process.nextTick(() => console.log('tick queued after destroy'));
    setImmediate(() => console.log('immediate after destroy'));
  });
  c.on('error', (e) => console.log('client error', e.message));
  c.on('close', (hadError) => console.log('client close', hadError));
});
