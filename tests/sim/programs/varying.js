// One bug whose message carries data that differs from seed to seed; argv[2] says which kind of data.
// Math.random, crypto and mkdtemp are seeded by loopsim, so each seed fails with its own message.
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const n = 1 + Math.floor(Math.random() * 1000);
const messages = {
  number: () => `expected 3 replies, got ${n % 7} after ${n} ms (${(n / 7).toFixed(2)} per reply, offset -${n})`,
  id: () => `job ${crypto.randomUUID()} failed: request req_${n} (trace ${crypto.randomBytes(8).toString('hex')}, ` +
            `worker${n % 5})`,
  hex: () => `bad checksum 0x${crypto.randomBytes(4).toString('hex')} at address 0x${n.toString(16)}`,
  quoted: () => `unknown user '${['alice', 'bob', 'carol'][n % 3]}' in "${['x', 'yy', 'zzz'][n % 3]}"`,
  tmp: () => {
    // mkdtemp's names come from a counter: a seed-dependent number of calls makes the last one differ.
    let dir;
    for (let i = 0; i <= n % 9; i++) dir = fs.mkdtempSync(path.join(os.tmpdir(), 'job-'));
    return `cannot write ${dir}/out.json: the disk is full`;
  },
  time: () => `deadline missed at ${new Date().toISOString()} (${Date.now()})`,
  perm: () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    for (let i = ids.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [ids[i], ids[j]] = [ids[j], ids[i]];
    }
    return `finished in the wrong order: ${ids.join('')} (list ${ids.join(', ')})`;
  },
};

setTimeout(() => {
  const what = process.argv[2];
  if (process.argv[3] === 'exit') {
    console.error(messages[what]());
    process.exit(1);
  }
  throw new Error(messages[what]());
}, n % 5);
