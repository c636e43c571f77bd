// The fixed twin of init-order.js: the server starts only once the config is loaded, so the order of
// the two callbacks no longer matters.
let config = null;
let wantServe = false;

function serve() {
  console.log('serving:', config.greeting);
}

setImmediate(() => {
  config = { greeting: 'hello' };
  console.log('config loaded');
  if (wantServe) serve();
});

setTimeout(() => {
  if (config) serve();
  else wantServe = true;
}, 0);
