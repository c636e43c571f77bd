// cluster: a primary forks two workers that share one listening port; the primary hands connections
// to them in turn (round-robin, the default on Linux), so four requests are served by both. Worker
// events reach the primary ('online', 'listening', messages over the IPC channel), and workers killed
// by the primary exit with SIGTERM.
const cluster = require('cluster');
const http = require('http');

if (cluster.isPrimary) {
  const workers = [cluster.fork(), cluster.fork()];
  let online = 0;
  let listening = 0;
  let greeted = 0;
  cluster.on('online', () => { ++online; });
  cluster.on('message', (worker, m) => { if (m.hello === worker.id) ++greeted; });
  cluster.on('listening', (worker, address) => {
    if (++listening < 2) return;
    // A worker's hello travels on its channel before its 'listening', so both have come.
    console.log('both listening on one port:', address.port > 0, 'workers:', Object.keys(cluster.workers).length,
                'online:', online, 'greeted:', greeted);
    let done = 0;
    const served = [];
    for (let i = 0; i < 4; i++) {
      http.get(`http://127.0.0.1:${address.port}/`, (res) => {
        let body = '';
        res.on('data', (d) => { body += d; });
        res.on('end', () => {
          served.push(body);
          if (++done === 4) {
            console.log('served 4 requests by', new Set(served).size, 'workers');
            for (const w of workers) w.kill();
          }
        });
      });
    }
  });
  let exited = 0;
  cluster.on('exit', (worker, code, signal) => {
    // (Not cluster.workers' size: a worker leaves it on 'exit' or on 'disconnect', whichever comes last.)
    if (++exited === 2) console.log('workers exited:', code, signal);
  });
} else {
  process.send({ hello: cluster.worker.id });
  // Port 0: the primary picks one port for both (the key is the same), as it does for a fixed one.
  http.createServer((req, res) => res.end(String(cluster.worker.id))).listen(0);
}
