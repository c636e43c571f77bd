// Checks epoll's ready-list order on loopback: a socket already watched becomes ready when bytes reach it, one resumed later joins the list when it is registered, after it.
// PENDING (loopsim bug, found while adding sockets to the property-test generator). Expected (Node 18,
// every run): "server got A" then "server got B". Got (loopsim, epoll and kqueue, every seed): B then A.
// Diagnosis: on Linux a loopback write puts the bytes in the peer's receive queue inside write(), so A's
// server side, already in the epoll set, joins the ready list at the write; B's server side, resumed
// after both writes, is added (EPOLL_CTL_ADD, already readable) at the next poll, behind A. loopsim's
// network (fakeos/stream.cc ScheduleTransmit/Push) delivers loopback segments at the next Kernel::Poll,
// after the loop has registered its watchers, so both become ready then, in write order (B first).
// Delivering within one host inside the sending call (Transmit and Deliver from ScheduleTransmit and
// Push, SynArrives from SendSyn, UDP SendTo's delivery, when both ends are on one host) makes this one
// and net_loopback_connect_reset_by_listener_close.js match on epoll and kqueue (tried); it also needs
// the IOCP personality to post a connect's operation at uv_tcp_connect rather than at the next poll
// (else net_connect_localhost on iocp loses its seed-ordered second output), and five fakeos unit tests
// that assert the deferral on loopback
// (Tcp.ConnectAcceptAndBytesArriveAfterTheLatency, Tcp.AFullSendBufferGivesEagainUntilThePeerReads,
// Tcp.EpollSeesAcceptReadAndHangUp, Udp.DatagramsArriveWholeWithTheirSource,
// Iocp.AcceptAndConnectCompleteAgainstTheNetwork) to move to a link between hosts.
'use strict';
const net = require('net');
const serverSide = {};
const clients = {};
let accepted = 0;
const server = net.createServer({ pauseOnConnect: true }, (sock) => {
  const name = accepted++ === 0 ? 'A' : 'B';
  serverSide[name] = sock;
  sock.setEncoding('utf8');
  sock.once('data', (d) => {
    console.log('server got', d);
    sock.destroy();
  });
  if (name === 'A') sock.resume();
  if (accepted === 2) {
    setImmediate(() => {
      clients.B.write('B');
      serverSide.B.resume();  // reading starts in a tick, after the write below
      clients.A.write('A');
      server.close();
    });
  }
});
server.listen(0, '127.0.0.1', () => {
  clients.A = net.connect(server.address().port, '127.0.0.1', () => {
    clients.B = net.connect(server.address().port, '127.0.0.1');
    clients.B.on('close', () => console.log('client B closed'));
  });
  clients.A.on('close', () => console.log('client A closed'));
});
