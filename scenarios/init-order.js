// Bug class: initialisation order — top-level setTimeout(f, 0) vs setImmediate(g).
// The program "loads its config" in an immediate and "starts serving" in a 0 ms timer, assuming the
// immediate runs first. At top level Node gives no such guarantee: the timer runs first whenever at least
// a millisecond passed before the loop's first timers phase. Under loopsim some seeds take each order.
let config = null;

setImmediate(() => {
  config = { greeting: 'hello' };
  console.log('config loaded');
});

setTimeout(() => {
  console.log('serving:', config.greeting);
}, 0);
