import * as fs from 'node:fs';
import * as path from 'node:path';
import { findYamlFiles, unreadableCause } from '../config/input-files';
import { type FileIssue, formatFileIssue } from '../config/workload-file';
import { hasUnfinishedSwitch, STAGING_FOLDER } from '../synth/output-switch';
import { loadManifestFiles } from './load-manifests';
import { formatReport, validateGroups } from '../../lib/validation/validate-manifests';

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
  // Entries that cannot be read (a link to nothing, a loop of links, a folder without permission) are problems, not skipped.
  const unreadableEntries: FileIssue[] = [];
  const cannotRead = (file: string, cause: string) => unreadableEntries.push({ file: display(file), path: [], message: `cannot be read: ${cause}` });
  for (const given of run.paths) {
    const full = path.resolve(run.cwd, given);
    let stat: fs.Stats;
    try {
      stat = fs.statSync(full);
    } catch (e) {
      // A link to nothing exists (and is a problem); a path to nothing is a bad argument.
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && !isSymbolicLink(full)) {
        run.stderr(`cdk8s-ml: '${given}' does not exist\n${USAGE}\n`);
        return 2;
      }
      cannotRead(full, unreadableCause(e, full));
      continue;
    }
    if (!stat.isDirectory()) {
      // Read as it is given, whatever its name; one that is not a regular file is refused unopened.
      files.add(full);
      continue;
    }
    // A synth killed while switching its output left it half old, half new until the next synth finishes it.
    if (hasUnfinishedSwitch(full)) cannotRead(full, `it holds an output switch an interrupted synth did not finish (${STAGING_FOLDER}/); run npm run synth to finish it`);
    const found = findYamlFiles(full);
    if (found.files.length === 0 && found.unreadable.length === 0) {
      run.stderr(`cdk8s-ml: '${given}' holds no *.yaml or *.yml files\n${USAGE}\n`);
      return 2;
    }
    for (const entry of found.unreadable) cannotRead(entry.path, entry.cause);
    // A file named twice (directly and through its folder) is read once.
    for (const file of found.files) files.add(file);
  }
  const loaded = loadManifestFiles(files, display);
  const { manifests, units } = loaded;
  // A file named directly and found in a folder given too is reported once.
  const issues = [...new Map([...unreadableEntries, ...loaded.issues].map((i) => [formatFileIssue(i), i])).values()];
  const result = validateGroups(units);
  const problems = issues.map(formatFileIssue).join('\n');
  const report = `${problems ? `${problems}\n` : ''}${formatReport(result)}`;
  const failed = issues.length > 0 || result.violations.length > 0;
  const unreadable = issues.length > 0 ? `, ${issues.length} problem(s) reading the files` : '';
  (failed ? run.stderr : run.stdout)(`${report}cdk8s-ml: ${manifests.length} object(s) checked in ${files.size} file(s)${unreadable}${failed ? '' : ', all valid'}\n`);
  return failed ? 1 : 0;
}

function isSymbolicLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
