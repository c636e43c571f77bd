// A socket made and connected to a port nobody listens on, then a timer and an immediate: the socket's
// constructor and connect and node's timer and immediate machinery are what the boot's warm-up has
// compiled already, the emitting of the socket's error what it has not.
const net = require('net');
const socket = new net.Socket();
socket.on('error', (error) => {
  console.log('error', error.code);
  setTimeout(() => setImmediate(() => console.log('timer, then immediate')), 1);
});
socket.connect(1, '127.0.0.1');
