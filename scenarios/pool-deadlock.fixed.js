// The fixed twin of pool-deadlock.js: a request never waits for a connection while holding one. It
// runs both its query and its audit record on the one connection it took, so requests can only queue.
const fs = require('fs');
const path = require('path');
const os = require('os');

const table = path.join(os.tmpdir(), 'pool-deadlock-accounts.json');
fs.writeFileSync(table, JSON.stringify({ alice: 10, bob: 20 }));

class Pool {
  constructor(size) {
    this.free = [];
    for (let i = 1; i <= size; i++) this.free.push({ id: i });
    this.waiting = [];
    this.keepAlive = setInterval(() => {}, 10000); // pings idle connections
  }
  acquire() {
    if (this.free.length > 0) return Promise.resolve(this.free.pop());
    return new Promise((resolve) => this.waiting.push(resolve));
  }
  release(conn) {
    const next = this.waiting.shift();
    if (next) next(conn);
    else this.free.push(conn);
  }
  end() {
    clearInterval(this.keepAlive);
  }
}

const pool = new Pool(2);
const query = async (conn, sql) => JSON.parse(await fs.promises.readFile(table, 'utf8'));

async function handle(name, user) {
  const conn = await pool.acquire();
  try {
    const rows = await query(conn, `SELECT balance FROM accounts WHERE user = '${user}'`);
    await query(conn, `INSERT INTO audit VALUES ('${name}')`); // same connection
    console.log(`${name}: ${user} has ${rows[user]}`);
  } finally {
    pool.release(conn);
  }
}

Promise.all([
  new Promise((r) => setTimeout(r, 1)).then(() => handle('request A', 'alice')),
  new Promise((r) => setTimeout(r, 3)).then(() => handle('request B', 'bob')),
]).then(() => pool.end());
