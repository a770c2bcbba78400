// Entry point of `npm run validate -- PATH...`: any Kubernetes YAML through the synth's schema and policy checks.
import { runValidate } from './app/validate/run-validate';

process.exitCode = runValidate({
  paths: process.argv.slice(2),
  // npm runs scripts from the package root; paths are relative to where the user typed the command.
  cwd: process.env.INIT_CWD ?? process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
