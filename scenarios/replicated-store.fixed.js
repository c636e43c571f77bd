// Fixed twin of replicated-store.js: the leader acknowledges a write only when a follower has it too
// (a majority of the three), so a failover always finds it on the follower it promotes (the one whose
// log is the most recent).
// @loopsim --host n1=10.0.0.1 --host n2=10.0.0.2 --host n3=10.0.0.3 --faults replicated-store.faults
const { fork } = require('child_process');
const dns = require('dns');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const names = ['n1', 'n2', 'n3'];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const send = (socket, message) => socket.write(JSON.stringify(message) + '\n');

// Calls `handle` with each newline-delimited JSON message the socket reads.
function messages(socket, handle) {
  let buffer = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk) => {
    buffer += chunk;
    for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      handle(JSON.parse(line));
    }
  });
}

// One request on a connection of its own: the first reply, or null after `ms` or on an error.
function call(peer, message, ms) {
  return new Promise((resolve) => {
    const socket = net.connect(peer.port, peer.host);
    const done = (reply) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(reply);
    };
    const timer = setTimeout(() => done(null), ms);
    socket.on('error', () => done(null));
    messages(socket, done);
    send(socket, message);
  });
}

function storeNode() {
  const me = process.env.NODE_NAME;
  const peers = JSON.parse(process.env.PEERS);
  const file = path.join(os.tmpdir(), `store-${me}.json`);
  let log = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : [];
  let epoch = Number(process.env.EPOCH); // the newest epoch this node has heard of
  let logEpoch = 0; // the epoch of the leader whose log this is
  let leading = process.env.ROLE === 'leader';
  if (leading) logEpoch = epoch;
  const persist = () => {
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, JSON.stringify(log));
    fs.fsyncSync(fd);
    fs.closeSync(fd);
  };
  // Writes waiting for a follower: each is acknowledged once a follower's log is as long as it needs.
  let waiting = [];
  const replicate = () => {
    for (const name of names) {
      if (name === me) continue;
      call(peers[name], { op: 'append', epoch, entries: log }, 100).then((answer) => {
        if (answer === null || answer.op !== 'appended') return;
        for (const w of waiting.filter((w) => w.length <= answer.length)) w.reply({ op: 'ok' });
        waiting = waiting.filter((w) => w.length > answer.length);
      });
    }
  };
  let batch = null;
  const handlers = {
    ping: (m, reply) => reply({ op: 'pong', leading }),
    put: (m, reply) => {
      if (!leading) return reply({ op: 'not-leader' });
      log.push({ key: m.key, value: m.value });
      persist();
      waiting.push({ length: log.length, reply });
      if (batch === null) {
        batch = setTimeout(() => {
          batch = null;
          replicate();
        }, 5);
      }
    },
    append: (m, reply) => {
      const newer = m.epoch > logEpoch || (m.epoch === logEpoch && m.entries.length >= log.length);
      if (m.epoch < epoch || !newer || (leading && m.epoch === epoch)) return reply({ op: 'stale' });
      epoch = logEpoch = m.epoch;
      leading = false;
      log = m.entries;
      persist();
      reply({ op: 'appended', length: log.length });
    },
    fence: (m, reply) => {
      epoch = Math.max(epoch, m.epoch);
      leading = false;
      reply({ op: 'fenced', logEpoch, length: log.length });
    },
    lead: (m, reply) => {
      epoch = logEpoch = m.epoch;
      leading = true;
      replicate();
      reply({ op: 'leading' });
    },
    dump: (m, reply) => reply({ op: 'log', entries: log }),
  };
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    messages(socket, (m) => handlers[m.op](m, (answer) => send(socket, answer)));
  });
  server.listen(peers[me].port, () => process.send('listening'));
}

async function driver() {
  const named = await new Promise((resolve) => dns.lookup('n1', (err) => resolve(!err)));
  // Under plain node the three share 127.0.0.1, on ports of this run's own (runs may overlap).
  const base = named ? 7000 : 20000 + (process.pid % 10000) * 3;
  const peers = {};
  names.forEach((name, i) => {
    peers[name] = { host: named ? name : '127.0.0.1', port: base + 1 + i };
    fs.rmSync(path.join(os.tmpdir(), `store-${name}.json`), { force: true });
  });
  const children = {};
  let leader = 'n1';
  let epoch = 1;
  let stopping = false;
  // The supervisor: a store process that dies (a crash, or the failover's kill) starts again as a
  // follower of the current epoch, from its files.
  const start = (name, role) => new Promise((resolve) => {
    const env = { ...process.env, LOOPSIM_HOST: name, NODE_NAME: name, PEERS: JSON.stringify(peers), ROLE: role, EPOCH: String(epoch) };
    const child = fork(__filename, ['store'], { env });
    children[name] = child;
    child.once('message', resolve);
    child.once('exit', () => {
      if (!stopping && children[name] === child) start(name, 'follower');
    });
  });
  await Promise.all(names.map((name) => start(name, name === 'n1' ? 'leader' : 'follower')));

  // Fences both followers and promotes the one with the most recent log; false when one did not answer.
  // The old leader is killed (it may still believe it leads) and comes back as a follower.
  async function failOver() {
    const old = leader;
    const others = names.filter((name) => name !== old);
    const answers = await Promise.all(others.map((name) => call(peers[name], { op: 'fence', epoch: epoch + 1 }, 100)));
    if (answers.some((a) => a === null)) return false;
    epoch += 1;
    const [a, b] = answers;
    const second = b.logEpoch > a.logEpoch || (b.logEpoch === a.logEpoch && b.length > a.length);
    leader = others[second ? 1 : 0];
    await call(peers[leader], { op: 'lead', epoch }, 100);
    children[old].kill('SIGKILL');
    return true;
  }
  let watching = true;
  const watcher = (async () => {
    for (let missed = 0; watching; await sleep(100)) {
      const pong = await call(peers[leader], { op: 'ping' }, 40);
      missed = pong && pong.leading ? 0 : missed + 1;
      if (missed >= 3 && (await failOver())) missed = 0;
    }
  })();

  const acked = [];
  for (let i = 1; i <= 6; i++) {
    await sleep(10);
    const reply = await call(peers[leader], { op: 'put', key: `k${i}`, value: i }, 100);
    if (reply && reply.op === 'ok') acked.push(`k${i}`);
  }
  await sleep(1500);
  watching = false;
  await watcher;
  let dump = null;
  while (dump === null) dump = await call(peers[leader], { op: 'dump' }, 200);
  stopping = true;
  for (const name of names) children[name].kill('SIGKILL');
  const have = dump.entries.map((e) => e.key);
  console.log(`acknowledged ${acked.length} writes; the leader ${leader} (epoch ${epoch}) has ${have.length}`);
  const lost = acked.filter((key) => !have.includes(key));
  if (lost.length > 0) {
    console.error(`acknowledged write lost: ${lost.join(', ')}`);
    process.exit(1);
  }
}

if (process.argv[2] === 'store') storeNode();
else driver();
