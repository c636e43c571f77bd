// The fixed twin of retry-double-send.js: every attempt carries the same idempotency key and the server
// remembers the keys it has seen (from the moment a request arrives), so a retry of a payment that is
// in flight or done gets the first attempt's answer instead of a second charge.
const http = require('http');
const fs = require('fs');
const path = require('path');
const os = require('os');

const ledger = path.join(os.tmpdir(), 'retry-double-send-ledger.txt');
fs.writeFileSync(ledger, '');

const seen = new Map(); // idempotency key -> promise of the result
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const { order, amount } = JSON.parse(body);
    const key = req.headers['idempotency-key'];
    if (!seen.has(key)) {
      seen.set(key, fs.promises.appendFile(ledger, `charge ${order} ${amount}\n`).then(() => 'paid'));
    }
    seen.get(key).then((result) => res.end(result));
  });
});

function post(payload, key, onResponse) {
  const req = http.request(
    { host: '127.0.0.1', port: server.address().port, method: 'POST', agent: false,
      headers: { 'Idempotency-Key': key } },
    (res) => {
      res.resume();
      res.on('end', onResponse);
    });
  req.on('error', () => {}); // a failed attempt is retried by the timer
  req.end(JSON.stringify(payload));
}

function payWithRetry(payload, attempts, done) {
  const key = `pay-${payload.order}`;
  let answered = false;
  const attempt = (n) => {
    post(payload, key, () => {
      if (!answered) {
        answered = true;
        done();
      }
    });
    setTimeout(() => {
      if (!answered && n < attempts) attempt(n + 1); // no answer yet: send it again
    }, 6);
  };
  attempt(1);
}

server.listen(0, '127.0.0.1', () => {
  payWithRetry({ order: 'A-17', amount: 25 }, 3, () => {
    console.log('payment confirmed');
    setTimeout(() => {
      server.close();
      const charges = fs.readFileSync(ledger, 'utf8').split('\n').filter((l) => l.startsWith('charge A-17'));
      console.log(`ledger: ${charges.length} charge(s) for A-17`);
      if (charges.length !== 1) {
        console.error(`double charge: order A-17 was charged ${charges.length} times`);
        process.exit(1);
      }
    }, 50);
  });
});
