// Checks that an interval is re-appended after its callback, behind same-duration timers created inside it.
let n = 0;
const iv = setInterval(() => {
  n++;
  console.log('interval', n);
  if (n === 3) return clearInterval(iv);
  setTimeout(() => console.log('timeout created in interval', n), 10);
}, 10);
