// The fixed twin of tcp-framing.js: messages are newline-delimited and the client buffers bytes until
// it has a whole line, so it parses the same messages however the stream was cut.
const net = require('net');

const messages = [
  { id: 1, text: 'hello' },
  { id: 2, text: 'x'.repeat(40) },
  { id: 3, text: 'bye' },
];

const server = net.createServer((socket) => {
  let i = 0;
  const sendNext = () => {
    socket.write(JSON.stringify(messages[i++]) + '\n');
    if (i < messages.length) setTimeout(sendNext, 1);
    else socket.end();
  };
  sendNext();
});

server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1');
  const received = [];
  let buffered = '';
  client.setEncoding('utf8');
  client.on('data', (chunk) => {
    buffered += chunk;
    let nl;
    while ((nl = buffered.indexOf('\n')) !== -1) {
      received.push(JSON.parse(buffered.slice(0, nl)));
      buffered = buffered.slice(nl + 1);
    }
  });
  client.on('end', () => {
    console.log('received', received.map((m) => m.id).join(','));
    if (received.length !== messages.length || buffered !== '') {
      console.error(`expected ${messages.length} messages, got ${received.length}`);
      process.exitCode = 1;
    }
    server.close();
  });
});
