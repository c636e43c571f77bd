// Checks callback arguments and `this` for setTimeout, setInterval and setImmediate.
const t = setTimeout(function (a, b, c) {
  console.log('timeout this is Timeout:', this === t, 'args', a, b, c);
  const im = setImmediate(function (...args) {
    console.log('immediate this is Immediate:', this === im, 'args', args.length, args.join('|'));
  }, 'p', 'q');
  let count = 0;
  const iv = setInterval(function (tag) {
    console.log('interval this is Interval:', this === iv, tag, ++count);
    if (count === 2) clearInterval(this);
  }, 5, 'tag');
}, 1, 'x', 2, undefined);
