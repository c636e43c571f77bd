// A bug-free sample application (not a race scenario): an HTTP JSON key-value store backed by files
// (store.js, server.js) and a client in the same process (client.js) that drives it with batches of
// concurrent requests over keep-alive connections, checks every answer, prints a summary whose order
// does not depend on how the requests interleaved, shuts down and exits 0. Any seed on any backend must
// print exactly what real Node 18 prints (main.stdout, and exit as main.status says).
'use strict';
const assert = require('assert/strict');
const crypto = require('crypto');
const fsp = require('fs/promises');
const os = require('os');
const path = require('path');
const { Store } = require('./store');
const { createServer } = require('./server');
const { Client } = require('./client');

const USERS = ['ada', 'alan', 'barbara', 'donald', 'edsger', 'grace', 'ken', 'margaret'].map((name, i) => ({
  key: `user.${name}`,
  value: { name, id: i + 1, langs: ['js', 'c', 'lisp'].slice(0, (i % 3) + 1) },
}));

const say = (line) => console.log(line);

// Drives the API through every route and checks each answer; returns the mutations it made.
async function exercise(client) {
  // 1. Eight concurrent PUTs of distinct keys.
  const puts = await Promise.all(USERS.map((u) => client.put(u.key, u.value)));
  const etags = new Map();
  puts.forEach((r, i) => {
    assert.equal(r.status, 200);
    assert.equal(r.body.etag, r.headers.etag);
    etags.set(USERS[i].key, r.headers.etag);
  });
  say(`put ${puts.length} keys`);
  for (const u of USERS) say(`  ${u.key} ${etags.get(u.key)}`);

  // 2. Read everything back at once, with the listing and a key that does not exist.
  const [list, missing, ...gets] = await Promise.all([
    client.list(),
    client.get('user.nobody'),
    ...USERS.map((u) => client.get(u.key)),
  ]);
  assert.deepEqual(list.body, USERS.map((u) => u.key).sort());
  assert.equal(missing.status, 404);
  gets.forEach((r, i) => {
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, USERS[i].value);
    assert.equal(r.headers.etag, etags.get(USERS[i].key));
  });
  say(`list: ${list.body.join(' ')}`);
  say(`get: ${gets.length} values match, user.nobody -> ${missing.status}`);

  // 3. Conditional requests: a cached read, a stale write that must fail, a fresh one that must win.
  const grace = 'user.grace';
  const [cached, stale] = await Promise.all([
    client.get(grace, { 'if-none-match': etags.get(grace) }),
    client.put('user.ken', { name: 'ken', id: 0 }, { 'if-match': '"0000000000000000"' }),
  ]);
  assert.equal(cached.status, 304);
  assert.equal(stale.status, 412);
  const updated = { ...USERS[5].value, langs: ['cobol'] };
  const fresh = await client.put(grace, updated, { 'if-match': etags.get(grace) });
  assert.equal(fresh.status, 200);
  assert.notEqual(fresh.headers.etag, etags.get(grace));
  const reread = await client.get(grace);
  assert.deepEqual(reread.body, updated);
  say(`conditional: if-none-match -> ${cached.status}, stale if-match -> ${stale.status}, ` +
      `fresh if-match -> ${fresh.status} ${fresh.headers.etag}`);

  // 4. Delete three keys concurrently (one of them twice: exactly one DELETE may win), then list.
  const doomed = ['user.alan', 'user.donald', 'user.ken'];
  const dels = await Promise.all([...doomed, 'user.ken'].map((k) => client.del(k)));
  const statuses = dels.map((r) => r.status).sort();
  assert.deepEqual(statuses, [204, 204, 204, 404]);
  const after = await client.list();
  const left = USERS.map((u) => u.key).filter((k) => !doomed.includes(k));
  assert.deepEqual(after.body, left);
  say(`delete: ${doomed.join(' ')} -> ${statuses.join(' ')}`);
  say(`list: ${after.body.join(' ')}`);

  // 5. A large document (1 MB, more than a socket buffer holds: both sides' writes wait for the peer
  // to drain) stored while another read is in flight, then read back whole.
  const pages = Array.from({ length: 16000 }, (_, i) => crypto.createHash('sha256').update(`page ${i}`).digest('hex'));
  const doc = { title: 'big', pages: pages.join('') };
  const [stored, ada] = await Promise.all([client.put('doc.big', doc), client.get('user.ada')]);
  assert.equal(stored.status, 200);
  assert.deepEqual(ada.body, USERS[0].value);
  const big = await client.get('doc.big');
  assert.deepEqual(big.body, doc);
  assert.equal(big.headers.etag, stored.headers.etag);
  say(`large: ${big.headers['content-length']} bytes, ${big.headers.etag}`);

  // 6. The whole store as one gzip-compressed export, and its size on disk.
  const [exported, stats] = await Promise.all([
    client.request('GET', '/export', { headers: { 'accept-encoding': 'gzip' } }),
    client.request('GET', '/stats'),
  ]);
  assert.equal(exported.headers['content-encoding'], 'gzip');
  assert.deepEqual(Object.keys(exported.body), ['doc.big', ...left]);
  assert.deepEqual(exported.body[grace], updated);
  say(`export: ${Object.keys(exported.body).length} keys, gzip; stats: ${stats.body.keys} keys, ` +
      `${stats.body.bytes} bytes`);

  return { puts: USERS.length + 2, dels: doomed.length };
}

async function main() {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'kv-'));
  const store = await Store.open(dir);
  const server = createServer(store);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new Client(server.address().port);

  // Shutting down drops the client's keep-alive sockets (the server waits for its connections to
  // end), closes the server and then the journal. It runs after a failed check too, so that a failure
  // ends the process instead of leaving the server listening.
  const shutdown = async () => {
    client.close();
    await new Promise((resolve) => server.close(resolve));
    await store.close();
  };
  let mutations;
  try {
    mutations = await exercise(client);
  } catch (err) {
    await shutdown().catch(() => {}); // the first error is the one to report
    throw err;
  }
  await shutdown();
  say(`connections: ${server.connections} accepted, ${client.sockets.size} client sockets, ` +
      `${client.requests} requests`);

  // The journal holds one line per successful mutation, in whatever order they completed.
  const journal = (await fsp.readFile(path.join(dir, 'journal.log'), 'utf8')).trim().split('\n');
  const putsLogged = journal.filter((l) => l.startsWith('put ')).length;
  const delsLogged = journal.filter((l) => l.startsWith('del ')).length;
  assert.equal(putsLogged, mutations.puts);
  assert.equal(delsLogged, mutations.dels);
  say(`journal: ${journal.length} lines (${putsLogged} put, ${delsLogged} del)`);
  const leftovers = await fsp.readdir(path.join(dir, 'tmp'));
  assert.deepEqual(leftovers, []);
  await fsp.rm(dir, { recursive: true });
  say('ok');
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
