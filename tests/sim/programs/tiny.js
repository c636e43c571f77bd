// A program with a single decision (how long the main script takes): its whole tree is 32 schedules.
console.log('tiny');
