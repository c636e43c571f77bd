// Bug class: a connection pool that deadlocks (hang).
// Each request takes a connection from a pool of two for its query, and while still holding it takes a
// second one to write an audit record. One request alone is fine; when two requests overlap, each holds
// one connection and waits forever for the other's: nothing ever completes, the pool's keep-alive timer
// keeps the process alive, and the program hangs.
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
  const rows = await query(conn, `SELECT balance FROM accounts WHERE user = '${user}'`);
  const audit = await pool.acquire(); // a second connection while still holding the first
  await query(audit, `INSERT INTO audit VALUES ('${name}')`);
  pool.release(audit);
  pool.release(conn);
  console.log(`${name}: ${user} has ${rows[user]}`);
}

Promise.all([
  new Promise((r) => setTimeout(r, 1)).then(() => handle('request A', 'alice')),
  new Promise((r) => setTimeout(r, 3)).then(() => handle('request B', 'bob')),
]).then(() => pool.end());
