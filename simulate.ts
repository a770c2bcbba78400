// Entry point of `npm run simulate -- TARGET --load ...`: a load trace replayed against the autoscaler synth writes.
import { runSimulate } from './app/simulate/run-simulate';

void runSimulate({
  argv: process.argv.slice(2),
  env: process.env,
  // npm runs scripts from the package root, where the workload files are found as synth finds them;
  // the paths the user gives are relative to where they typed the command.
  projectDir: process.cwd(),
  cwd: process.env.INIT_CWD ?? process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
}).then((code) => {
  process.exitCode = code;
});
