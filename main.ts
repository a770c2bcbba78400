// Entry point of `npm run synth` and `cdk8s synth`: workload files in, manifests out.
import { runSynth } from './app/synth/run-synth';

process.exitCode = runSynth({
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
