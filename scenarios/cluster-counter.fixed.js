// Fixed twin of cluster-counter.js: the count lives in the primary, the one process every worker
// shares. A worker asks the primary to count each hit over its IPC channel and answers with the
// total the primary sends back (matched to the request by an id).
const cluster = require('cluster');
const http = require('http');

if (cluster.isPrimary) {
  const workers = [cluster.fork(), cluster.fork()];
  let total = 0;
  for (const w of workers) {
    w.on('message', (m) => { if (m.hit !== undefined) w.send({ id: m.hit, total: ++total }); });
  }
  let started = false;
  cluster.on('listening', (worker, address) => {
    if (started) return;
    started = true;
    const answers = [];
    const hit = () => http.get(`http://127.0.0.1:${address.port}/hit`, { agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => {
        answers.push(Number(body));
        if (answers.length < 4) return setTimeout(hit, 20);
        console.log(`hits counted: ${answers.join(', ')}`);
        for (const w of workers) w.kill();
        if (answers[3] !== 4) {
          console.error(`the counter lost hits: the 4th hit was counted as ${answers[3]}`);
          process.exitCode = 1;
        }
      });
    });
    hit();
  });
} else {
  const waiting = new Map();
  let next = 0;
  process.on('message', (m) => {
    waiting.get(m.id)(m.total);
    waiting.delete(m.id);
  });
  http.createServer((req, res) => {
    const id = next++;
    waiting.set(id, (total) => res.end(String(total)));
    process.send({ hit: id });
  }).listen(0);
}
