// Never returns to the loop: only the wall-clock watchdog can stop it.
console.log('spinning');
while (true) {}
