// Checks Float16Array and Math.f16round on numbers received over a loopback socket (rounded to half
// precision as they are stored), RegExp.escape building a pattern from the received text, and
// Error.isError telling real errors from look-alikes, including one from a failed connect.
// requires: node >= 24
'use strict';
const net = require('net');
const log = (message) => console.log(message);

const server = net.createServer((socket) => {
  socket.end('1.1,65504,70000,0.0001,-2.5|a.b*c(1)');
});
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const client = net.connect(port, '127.0.0.1');
  let text = '';
  client.setEncoding('utf8');
  client.on('data', (chunk) => { text += chunk; });
  client.on('end', () => {
    const [numbers, literal] = text.split('|');
    const values = numbers.split(',').map(Number);
    const halves = Float16Array.from(values);
    log(`Float16Array: ${[...halves].join(' ')} (${halves.BYTES_PER_ELEMENT} bytes each)`);
    log(`f16round agrees: ${values.every((v, i) => Object.is(Math.f16round(v), halves[i]))}`);
    const pattern = new RegExp(`^${RegExp.escape(literal)}$`);
    log(`escaped pattern matches the literal only: ${pattern.test(literal)} ${pattern.test('aXb*c(1)')}`);
    log(`isError: ${Error.isError(new TypeError('t'))} ${Error.isError({ name: 'Error', message: 'fake' })} ${Error.isError(Object.create(Error.prototype))}`);
    server.close(() => {
      const refused = net.connect(port, '127.0.0.1');
      refused.on('error', (e) => log(`connect error is an Error: ${Error.isError(e)} (${e.code})`));
    });
  });
});
