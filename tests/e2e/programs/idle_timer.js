// One timer 50 ms away. Until it fires, each loop iteration runs only Node's own handles (the immediate
// check handle with no immediate queued, the profiler idle notifier's prepare and check), which run no
// JavaScript.
setTimeout(() => console.log('fired'), 50);
