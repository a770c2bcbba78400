import * as fs from 'node:fs';
import * as path from 'node:path';
import { findWorkloadFiles, formatFileIssue } from '../config/workload-file';
import { loadManifestFiles } from './load-manifests';
import { formatReport, validateGroups } from './validate-manifests';

/** Where `npm run validate` runs and where it reports. */
export interface ValidateRun {
  /** The files and folders to check. */
  readonly paths: readonly string[];
  readonly cwd: string;
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const USAGE = 'usage: npm run validate -- PATH... (YAML files, or folders searched for *.yaml and *.yml); exit 0 valid, 1 violations or unreadable YAML, 2 bad arguments';

/**
 * Checks Kubernetes YAML, generated or hand-written, with the same schema and
 * policy rules as synth. Returns the exit code: 1 on any violation or
 * unreadable file, 2 on bad arguments.
 */
export function runValidate(run: ValidateRun): number {
  if (run.paths.some((p) => p === '-h' || p === '--help')) {
    run.stdout(`${USAGE}\n`);
    return 0;
  }
  if (run.paths.length === 0) {
    run.stderr(`${USAGE}\n`);
    return 2;
  }
  const display = (p: string) => path.relative(run.cwd, p).split(path.sep).join('/') || '.';
  const files = new Set<string>();
  for (const given of run.paths) {
    const full = path.resolve(run.cwd, given);
    const stat = fs.statSync(full, { throwIfNoEntry: false });
    if (!stat) {
      run.stderr(`cdk8s-ml: '${given}' does not exist\n${USAGE}\n`);
      return 2;
    }
    const found = stat.isDirectory() ? findWorkloadFiles(full) : [full];
    if (found.length === 0) {
      run.stderr(`cdk8s-ml: '${given}' holds no *.yaml or *.yml files\n${USAGE}\n`);
      return 2;
    }
    // A file named twice (directly and through its folder) is read once.
    for (const file of found) files.add(file);
  }
  const { manifests, issues, units } = loadManifestFiles(files, display);
  const result = validateGroups(units);
  const problems = issues.map(formatFileIssue).join('\n');
  const report = `${problems ? `${problems}\n` : ''}${formatReport(result)}`;
  const failed = issues.length > 0 || result.violations.length > 0;
  const unreadable = issues.length > 0 ? `, ${issues.length} problem(s) reading the files` : '';
  (failed ? run.stderr : run.stdout)(`${report}cdk8s-ml: ${manifests.length} object(s) checked in ${files.size} file(s)${unreadable}${failed ? '' : ', all valid'}\n`);
  return failed ? 1 : 0;
}
