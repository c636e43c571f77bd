// Never finishes: an interval keeps the loop alive forever (a hang in virtual time).
setInterval(() => {}, 1000);
