// Bench program: a TCP echo server and one client on the loopback interface.
const net = require('net');
const server = net.createServer((socket) => socket.pipe(socket));
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const client = net.connect(port, '127.0.0.1', () => client.end('hello, echo'));
  let received = '';
  client.on('data', (chunk) => { received += chunk; });
  client.on('end', () => {
    server.close();
    if (received !== 'hello, echo') process.exitCode = 1;
  });
});
