// Never returns to the event loop: only the wall-clock watchdog can stop it.
setTimeout(() => {
  while (true) {}
}, 1);
