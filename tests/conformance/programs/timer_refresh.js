// Checks that refresh() returns the timer and moves it behind timers of the same duration, even after firing.
const order = [];
const a = setTimeout(() => order.push('a'), 10);
setTimeout(() => order.push('b'), 10);
setTimeout(() => order.push('c'), 10);
console.log('refresh returns same timer:', a.refresh() === a);
setTimeout(() => {
  console.log(order.join(' '));
  const d = setTimeout(() => order.push('d'), 10);
  setTimeout(() => order.push('e'), 10);
  d.refresh();
  setTimeout(() => {
    console.log(order.join(' '));
    let fired = 0;
    const late = setTimeout(() => {
      fired++;
      console.log('refreshed after firing runs again', fired);
      if (fired < 3) late.refresh();
    }, 5);
  }, 20);
}, 20);
