// Checks a TCP echo round trip on loopback: listen callback, per-side event order, and the data each side sees.
'use strict';
const net = require('net');
const serverLog = [];
const clientLog = [];
const server = net.createServer((sock) => {
  serverLog.push('connection');
  sock.setEncoding('utf8');
  let got = '';
  sock.on('data', (d) => {
    got += d;
    sock.write(d.toUpperCase());
  });
  sock.on('end', () => {
    serverLog.push('end after ' + got);
    sock.end();
  });
  sock.on('close', (hadError) => {
    serverLog.push('close ' + hadError);
    server.close(() => {
      console.log('server:', serverLog.join(', '));
      console.log('client:', clientLog.join(', '));
    });
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log('listening', server.address().family, server.address().address);
  const client = net.connect(server.address().port, '127.0.0.1');
  client.setEncoding('utf8');
  client.on('connect', () => {
    clientLog.push('connect');
    client.write('hello');
  });
  let reply = '';
  client.on('data', (d) => {
    reply += d;
    // TCP may deliver the echo in several pieces; end once all of it is here.
    if (reply.length === 5) {
      clientLog.push('data ' + reply);
      client.end();
    }
  });
  client.on('end', () => clientLog.push('end'));
  client.on('finish', () => clientLog.push('finish'));
  client.on('close', (hadError) => clientLog.push('close ' + hadError));
});
