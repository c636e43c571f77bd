// Bug class: TCP framing that assumes one 'data' event per message.
// A server sends three JSON messages, one socket.write each; the client parses every 'data' chunk as
// one message. TCP is a byte stream: writes can be merged into one segment or a message cut across two,
// so JSON.parse meets "}{" or half an object, depending on how the bytes travel. The server even waits
// a millisecond between messages, which makes the bug rare on an idle machine and common on a busy one.
const net = require('net');

const messages = [
  { id: 1, text: 'hello' },
  { id: 2, text: 'x'.repeat(40) },
  { id: 3, text: 'bye' },
];

const server = net.createServer((socket) => {
  let i = 0;
  const sendNext = () => {
    socket.write(JSON.stringify(messages[i++]));
    if (i < messages.length) setTimeout(sendNext, 1);
    else socket.end();
  };
  sendNext();
});

server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1');
  const received = [];
  client.on('data', (chunk) => {
    received.push(JSON.parse(chunk.toString())); // one chunk is assumed to be one message
  });
  client.on('end', () => {
    console.log('received', received.map((m) => m.id).join(','));
    if (received.length !== messages.length) {
      console.error(`expected ${messages.length} messages, got ${received.length}`);
      process.exitCode = 1;
    }
    server.close();
  });
});
