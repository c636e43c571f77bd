// Checks the Set methods (union, intersection, difference, symmetricDifference, isSubsetOf,
// isSupersetOf, isDisjointFrom) on sets filled from both sides of a loopback TCP exchange, with a
// Map-backed set-like argument; results keep the receiver's insertion order as specified.
// requires: node >= 22
'use strict';
const net = require('net');

const serverSaw = new Set();
const clientSaw = new Set();
const report = () => {
  console.log(`server saw: ${[...serverSaw]}; client saw: ${[...clientSaw]}`);
  console.log(`union: ${[...serverSaw.union(clientSaw)]}`);
  console.log(`intersection: ${[...serverSaw.intersection(clientSaw)]}`);
  console.log(`difference: ${[...serverSaw.difference(clientSaw)]}`);
  console.log(`symmetricDifference: ${[...serverSaw.symmetricDifference(clientSaw)]}`);
  const small = new Set(['b', 'c']);
  console.log(`subset ${small.isSubsetOf(serverSaw)}, superset ${serverSaw.isSupersetOf(small)}, disjoint ${small.isDisjointFrom(clientSaw)}`);
  const setLike = { size: 2, has: (k) => k === 'a' || k === 'z', keys: () => ['a', 'z'][Symbol.iterator]() };
  console.log(`with a set-like: ${[...serverSaw.union(setLike)]} / ${[...serverSaw.intersection(setLike)]}`);
};

const server = net.createServer((socket) => {
  let text = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => { text += chunk; });
  socket.on('end', () => {
    for (const word of text.split(',')) serverSaw.add(word);
    socket.end('c,d,e,c');
  });
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => client.end('a,b,c,b'));
  let reply = '';
  client.setEncoding('utf8');
  client.on('data', (chunk) => { reply += chunk; });
  client.on('end', () => {
    for (const word of reply.split(',')) clientSaw.add(word);
    server.close(report);
  });
});
