// Bug class: an event emitted before its listener is attached.
// A Store loads its data in the constructor and emits 'ready' when the read completes. main() creates
// the store, then awaits its own config file, and only then attaches the 'ready' listener. Whenever the
// store's read finishes before the config read, 'ready' is emitted to nobody and the service never starts.
const EventEmitter = require('events');
const fs = require('fs');
const path = require('path');
const os = require('os');

const dataFile = path.join(os.tmpdir(), 'event-before-listener-store.json');
const configFile = path.join(os.tmpdir(), 'event-before-listener-config.json');
fs.writeFileSync(dataFile, JSON.stringify({ users: 3 }));
fs.writeFileSync(configFile, JSON.stringify({ port: 8080 }));

class Store extends EventEmitter {
  constructor(file) {
    super();
    fs.readFile(file, 'utf8', (err, text) => {
      if (err) return this.emit('error', err);
      this.data = JSON.parse(text);
      this.emit('ready');
    });
  }
}

let started = false;
async function main() {
  const store = new Store(dataFile);
  const config = JSON.parse(await fs.promises.readFile(configFile, 'utf8'));
  store.on('ready', () => {
    started = true;
    console.log(`serving ${store.data.users} users on port ${config.port}`);
  });
}

process.on('exit', () => {
  if (!started) {
    console.error("never started: 'ready' was emitted before anyone listened");
    process.exitCode = 1;
  }
});
main();
