// node --import tsx bench/watch-latency.ts APP FLEET OUT EDITS [ENVIRONMENTS-FILE|none]
// Starts APP (the compiled synth) with --watch on the fleet's workloads, then EDITS times changes
// one workload file (its image tag, saved as editors save: a new file renamed over the old) and
// times how long the changed manifest takes to be on disk. Prints the seconds as JSON.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';

const POLL_MS = 2;

async function main(): Promise<void> {
  const [app, fleet, out, editsText, environments = 'none'] = process.argv.slice(2);
  const edits = Number(editsText);
  const workloads = path.join(fleet, 'workloads');
  let runs = 0;
  let stderr = '';
  const watch = spawn(process.execPath, [app, '--watch'], {
    env: { ...process.env, CDK8S_ML_WORKLOADS: workloads, CDK8S_ML_ENVIRONMENTS: environments, CDK8S_OUTDIR: out },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // Each run ends with `... N removed in 0.21 s` (or, failed, with nothing was written).
  readline.createInterface({ input: watch.stdout }).on('line', (line) => {
    if (/ removed in \d/.test(line)) runs++;
  });
  watch.stderr.on('data', (d) => { stderr += String(d); });
  const until = async (condition: () => boolean, what: string) => {
    const deadline = Date.now() + 600_000;
    while (!condition()) {
      if (Date.now() > deadline || watch.exitCode !== null) throw new Error(`watch: no ${what}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };
  await until(() => stderr.includes('Ctrl-C stops') && runs === 1, 'first run');
  const files = fs.readdirSync(workloads).filter((f) => f.endsWith('.yaml')).sort();
  const seconds: number[] = [];
  for (let i = 0; i < edits; i++) {
    const file = path.join(workloads, files[(i * 7919) % files.length]);
    const text = fs.readFileSync(file, 'utf8');
    const name = /^name: (.+)$/m.exec(text)![1];
    const namespace = /^namespace: (.+)$/m.exec(text)?.[1];
    const folder = environments === 'none' ? out : path.join(out, fs.readdirSync(out).filter((f) => f !== 'argocd' && !f.startsWith('.') && fs.statSync(path.join(out, f)).isDirectory()).sort()[0]);
    const manifest = path.join(folder, `${namespace === undefined ? '' : `${namespace}.`}${name}.k8s.yaml`);
    const before = fs.readFileSync(manifest, 'utf8');
    const edited = text.replace(/(image: \S+:\d+\.\d+\.)(\d+)/, (_, head: string, patch: string) => `${head}${Number(patch) + 1}`);
    const start = process.hrtime.bigint();
    fs.writeFileSync(`${file}.tmp`, edited);
    fs.renameSync(`${file}.tmp`, file);
    await until(() => {
      try {
        return fs.readFileSync(manifest, 'utf8') !== before;
      } catch {
        return false;
      }
    }, `change of ${manifest}`);
    seconds.push(Number(process.hrtime.bigint() - start) / 1e9);
    // The run that wrote it ends before the next edit.
    await until(() => runs === i + 2, 'end of the run');
  }
  const exited = new Promise((resolve) => watch.once('exit', resolve));
  watch.kill('SIGINT');
  await exited;
  process.stdout.write(`${JSON.stringify(seconds)}\n`);
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
});
