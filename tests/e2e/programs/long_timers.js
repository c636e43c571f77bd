// Awaits 3600 sequential 1-second timers (one virtual hour) and prints the elapsed virtual time.
const start = Date.now();
(async () => {
  let fired = 0;
  for (let i = 0; i < 3600; i++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    fired++;
  }
  const elapsed = Date.now() - start;
  console.log('timers ' + fired);
  console.log('elapsed_ms ' + elapsed);
})();
