// Fails with an unhandled rejection whose reason is not an Error (Node says so in its report).
setTimeout(() => {
  Promise.reject(42);
}, 1);
