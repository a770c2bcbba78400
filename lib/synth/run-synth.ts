import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { isInside, readSynthConfig, SynthConfigError } from '../config/synth-config';
import { WorkloadFileError } from '../config/workload-file';
import { buildWorkloadsFromDir } from './build-workloads';
import { formatReport, validateManifests } from '../validation/validate-manifests';
import { renderManifests, synthesizeWorkloads } from './render-manifests';
import { formatSummary, summarize } from './summary';
import { OutputError, writeManifests } from './write-manifests';

/** Where synth runs and where it reports. */
export interface SynthRun {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/**
 * Workload files to manifests on disk: reads the configuration, builds and
 * checks every workload, and only when all are valid writes the output
 * folder. Returns the process exit code; a failure leaves the folder as it was.
 */
export function runSynth(run: SynthRun): number {
  let debug = false;
  try {
    const config = readSynthConfig(run.env, run.cwd);
    debug = config.debug;
    const display = (p: string) => path.relative(run.cwd, p).split(path.sep).join('/') || '.';
    const built = buildWorkloadsFromDir(new App({ outdir: config.outdir }), config.workloadsDir, display);
    const synthesized = synthesizeWorkloads(built);
    const validation = validateManifests(synthesized.flatMap(({ built: { source }, objects }) =>
      objects.map((object) => ({ object, source: source.file, line: source.lineOf([]) }))));
    if (validation.violations.length > 0) {
      run.stderr(`${formatReport(validation)}cdk8s-ml: synth failed; nothing was written\n`);
      return 1;
    }
    // Manifests of workloads gone from this folder go; those from other folders (another team's
    // CDK8S_ML_WORKLOADS writing into the same output) stay, unless their workload file is gone.
    const result = writeManifests(config.outdir, renderManifests(synthesized), (source) => {
      const file = path.resolve(run.cwd, source);
      return isInside(file, config.workloadsDir) || !fs.existsSync(file);
    });
    run.stdout(`${formatSummary(summarize(built))}\n\n`);
    run.stdout(formatReport(validation));
    run.stdout(`cdk8s-ml: ${built.length} workload(s) -> ${display(config.outdir)}/: ${result.written.length} written, ${result.unchanged.length} unchanged, ${result.removed.length} removed\n`);
    return 0;
  } catch (e) {
    if (e instanceof WorkloadFileError) {
      run.stderr(`${e.message}\ncdk8s-ml: synth failed with ${e.issues.length} problem(s); nothing was written\n`);
    } else if (e instanceof SynthConfigError || e instanceof OutputError) {
      run.stderr(`cdk8s-ml: ${e.message}\ncdk8s-ml: synth failed; nothing was written\n`);
    } else {
      const detail = debug ? (e as Error).stack : `${String(e)} (set CDK8S_ML_DEBUG=1 for the stack trace)`;
      run.stderr(`cdk8s-ml: synth failed: ${detail}\n`);
    }
    return 1;
  }
}
