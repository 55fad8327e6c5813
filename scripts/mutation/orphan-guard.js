// Loaded into every test process that StrykerJS's tap runner starts (stryker.config.js, nodeArgs).
// A mutant can turn a loop endless. Stryker then times the run out and kills its worker, but not the
// test process the worker spawned: that one would spin on, an orphan eating a core, and slow every
// later mutant into a false timeout. A worker thread has its own event loop, so it still runs while
// the main thread spins: once the parent is gone, it ends the whole process.
import { Worker } from 'node:worker_threads';

const watch = `
const { workerData } = require('node:worker_threads');
setInterval(() => { if (process.ppid !== workerData) process.kill(process.pid, 'SIGKILL'); }, 500);
`;
new Worker(watch, { eval: true, workerData: process.ppid }).unref();
