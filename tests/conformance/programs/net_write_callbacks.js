// Checks that several socket writes call back in order, before 'finish', and that the peer reads all bytes in order.
'use strict';
const net = require('net');
const server = net.createServer((sock) => {
  const chunks = [];
  sock.on('data', (d) => chunks.push(d));
  sock.on('end', () => {
    const all = Buffer.concat(chunks);
    console.log('server got', all.length, 'bytes, first', all[0], 'last', all[all.length - 1]);
    sock.end();
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const c = net.connect(server.address().port, '127.0.0.1');
  const big = Buffer.alloc(300000, 7);
  big[big.length - 1] = 9;
  c.on('connect', () => {
    c.write('a', () => console.log('cb a'));
    c.write(Buffer.from([1, 2, 3]), () => console.log('cb b'));
    c.write(big, () => console.log('cb big'));
    c.end('z', () => console.log('cb end'));
  });
  c.on('finish', () => console.log('finish', c.bytesWritten));
  c.on('close', () => console.log('client close'));
});
