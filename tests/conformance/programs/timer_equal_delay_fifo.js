// Checks that timers with equal delays fire in creation order, including many of them.
const order = [];
for (let i = 0; i < 20; i++) setTimeout(() => order.push(i), 5);
setTimeout(() => {
  console.log(order.join(' '));
  const again = [];
  for (const name of ['a', 'b', 'c', 'd']) setTimeout(() => {
    again.push(name);
    if (again.length === 4) console.log(again.join(' '));
  }, 0);
}, 10);
