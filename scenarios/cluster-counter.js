// Bug class: a cluster-wide counter kept per worker.
// A hit counter runs as a cluster of two HTTP workers. Each worker counts the hits it serves in its own
// memory and answers with that count, as if it were the service's. The primary sends hits (each a new
// connection, as from different clients) as soon as the first worker listens; while only that worker
// listens it gets every connection and the count looks right, but once the second one listens too the
// primary hands connections to both in turn, each counts its own share, and the fourth hit is answered
// with less than 4.
const cluster = require('cluster');
const http = require('http');

if (cluster.isPrimary) {
  const workers = [cluster.fork(), cluster.fork()];
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
  let hits = 0;
  http.createServer((req, res) => res.end(String(++hits))).listen(0);
}
