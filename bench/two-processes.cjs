// node bench/two-processes.cjs PROGRAM DIR-A OUT-A DIR-B OUT-B: starts synth (PROGRAM) on two halves of a
// fleet at once, one process each, and prints the seconds until both have ended as JSON; exits 1 when
// either fails. What splitting the work over both cores of a machine would give at best.
'use strict';
const { spawn } = require('node:child_process');

const [program, dirA, outA, dirB, outB] = process.argv.slice(2);
const start = process.hrtime.bigint();
const run = (dir, out) => new Promise((resolve) => {
  const child = spawn(process.execPath, [program], { env: { ...process.env, CDK8S_ML_WORKLOADS: dir, CDK8S_ML_ENVIRONMENTS: 'none', CDK8S_OUTDIR: out }, stdio: ['ignore', 'ignore', 'inherit'] });
  child.on('exit', (code) => resolve(code));
});
Promise.all([run(dirA, outA), run(dirB, outB)]).then((codes) => {
  process.stdout.write(`${JSON.stringify(Number(process.hrtime.bigint() - start) / 1e9)}\n`);
  process.exitCode = codes.every((code) => code === 0) ? 0 : 1;
});
