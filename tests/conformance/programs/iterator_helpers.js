// Checks the iterator helpers (Iterator.from, map, filter, take, drop, flatMap, reduce, toArray, some,
// every, find, forEach) on a generator that is pulled lazily from a chain of timers: each value is
// computed only when the chain asks for it, and take() closes the generator (its finally runs) without
// pulling further.
// requires: node >= 22
'use strict';
const log = (message) => console.log(message);
const pulled = [];

function* naturals() {
  try {
    for (let n = 1; ; n++) {
      pulled.push(n);
      yield n;
    }
  } finally {
    log(`generator closed after pulling ${pulled.length}`);
  }
}

const lazy = naturals().filter((n) => n % 2 === 1).map((n) => n * n).take(3);
log(`nothing pulled yet: ${pulled.length}`);
const step = () => {
  const { value, done } = lazy.next();
  log(`timer step: ${done ? 'done' : value} (pulled ${pulled.length})`);
  if (!done) setTimeout(step, 1);
  else setImmediate(rest);
};
setTimeout(step, 1);

function rest() {
  log(`drop+toArray: ${naturals().drop(2).take(3).toArray()}`);
  log(`flatMap: ${Iterator.from([[1, 2], [3]].values()).flatMap((pair) => pair).toArray()}`);
  log(`reduce: ${[1, 2, 3, 4].values().reduce((sum, n) => sum + n, 0)}`);
  log(`some ${[1, 2, 3].values().some((n) => n > 2)}, every ${[1, 2, 3].values().every((n) => n > 2)}, find ${[5, 6, 7].values().find((n) => n % 2 === 0)}`);
  const wrapped = Iterator.from({ next() { return { done: this.n > 2, value: this.n++ }; }, n: 0 });
  wrapped.forEach((v) => log(`forEach ${v}`));
  log(`Iterator.prototype: ${Object.getPrototypeOf(wrapped) !== Iterator.prototype}, ${wrapped instanceof Iterator}`);
}
