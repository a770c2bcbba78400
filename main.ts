// Entry point of `npm run synth` and `cdk8s synth`: workload files in, manifests out.
// `npm run synth -- --watch` keeps running, and synthesizes again on every change.
import { runSynth, type SynthRun } from './app/synth/run-synth';
import { watchSynth } from './app/synth/watch';

const run: SynthRun = {
  env: process.env,
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};
const args = process.argv.slice(2);

if (args.length === 0) {
  process.exitCode = runSynth(run);
} else if (args.length === 1 && args[0] === '--watch') {
  const watch = watchSynth(run);
  process.once('SIGINT', () => watch.stop());
  process.once('SIGTERM', () => watch.stop());
  void watch.stopped.then((code) => {
    process.exitCode = code;
  });
} else {
  process.stderr.write(`cdk8s-ml: unexpected arguments '${args.join(' ')}'\nusage: npm run synth [-- --watch]\n`);
  process.exitCode = 2;
}
