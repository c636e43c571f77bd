// A socket made and connected to a port nobody listens on: its constructor is one the boot's warm-up has
// compiled already, its connect one it has not.
const net = require('net');
const socket = new net.Socket();
socket.on('error', (error) => console.log('error', error.code));
socket.connect(1, '127.0.0.1');
