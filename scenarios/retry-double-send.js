// Bug class: a retry loop with timers that double-sends.
// The client pays an order over HTTP and, if no answer came within a few milliseconds, sends the payment
// again. A timeout does not mean the first request was lost: when the server was merely slow, both
// requests arrive and the customer is charged twice.
const http = require('http');
const fs = require('fs');
const path = require('path');
const os = require('os');

const ledger = path.join(os.tmpdir(), 'retry-double-send-ledger.txt');
fs.writeFileSync(ledger, '');

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    const { order, amount } = JSON.parse(body);
    fs.appendFile(ledger, `charge ${order} ${amount}\n`, (err) => {
      if (err) throw err;
      res.end('paid');
    });
  });
});

function post(payload, onResponse) {
  const req = http.request(
    { host: '127.0.0.1', port: server.address().port, method: 'POST', agent: false },
    (res) => {
      res.resume();
      res.on('end', onResponse);
    });
  req.on('error', () => {}); // a failed attempt is retried by the timer
  req.end(JSON.stringify(payload));
}

function payWithRetry(payload, attempts, done) {
  let answered = false;
  const attempt = (n) => {
    post(payload, () => {
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
