import * as fs from 'node:fs';
import * as path from 'node:path';
import { PARAMS_SUFFIX } from '../gitops/application-params';
import { KUSTOMIZATION_FILE, KUSTOMIZE_CONFIG_FILE } from '../gitops/kustomization';
import { OutputError, switchOutput } from './output-switch';
import { generatedFrom, type ManifestFile, MANIFEST_SUFFIX } from './render-manifests';

/** What a write changed in the output folder. */
export interface WriteResult {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly removed: readonly string[];
}

/**
 * Brings `outdir` in line with `files`, crash-safely (see output-switch.ts):
 * the files whose content changed are written, and the manifests an earlier
 * synth wrote, that are no longer produced and whose source `mayRemove` (as
 * named in their header, with the file's name), are removed, in the output
 * folder and the folders directly below it (environments); a folder left
 * empty goes too. Files synth did not write are never replaced or removed.
 * File names may name one folder level: `prod/ns.name.k8s.yaml`. Everything
 * that can be checked is checked before anything changes; a failure throws
 * OutputError naming the file, with the folder as it was.
 */
export function writeManifests(outdir: string, files: readonly ManifestFile[], mayRemove: (source: string, name: string) => boolean, stillLocked: () => boolean = () => true): WriteResult {
  const folderNames = [...new Set(['.', ...files.map((f) => path.dirname(f.name))])];
  for (const folder of folderNames) {
    const full = path.join(outdir, folder);
    if (fs.existsSync(full) && !fs.statSync(full).isDirectory()) throw new OutputError(full, 'a file is in the way of a folder synth writes');
  }
  // One listing per folder: only names in it are read (a fresh output folder reads nothing). Compared
  // without case, as a case-insensitive file system (macOS, Windows) would open them.
  const present = new Set<string>();
  for (const folder of folderNames) {
    const full = path.join(outdir, folder);
    if (!fs.existsSync(full)) continue;
    for (const name of fs.readdirSync(full)) present.add((folder === '.' ? name : `${folder}/${name}`).toLowerCase());
  }
  const mayExist = (name: string) => present.has(name.toLowerCase());
  const replaced = new Set<string>();
  const changed = files.filter((file) => {
    const target = path.join(outdir, file.name);
    const current = mayExist(file.name) ? readIfExists(target) : undefined;
    if (current !== undefined && generatedFrom(current) === undefined) {
      throw new OutputError(target, 'a file that cdk8s-ml did not generate is in the way; move it, or rename the workload');
    }
    if (current !== undefined) replaced.add(file.name);
    return current !== file.content;
  });
  const wanted = new Set(files.map((f) => f.name));
  const removed = outputFiles(outdir)
    .filter((name) => !wanted.has(name))
    .filter((name) => {
      const source = generatedFrom(readHead(path.join(outdir, name)));
      return source !== undefined && mayRemove(source, name);
    })
    .sort();
  const keptFolders = new Set(folderNames);
  switchOutput(outdir, {
    put: changed,
    remove: removed,
    createFolders: folderNames.filter((folder) => folder !== '.' && !fs.existsSync(path.join(outdir, folder))),
    pruneFolders: [...new Set(removed.map((name) => path.dirname(name)))].filter((folder) => folder !== '.' && !keptFolders.has(folder)),
  }, replaced, stillLocked);
  const changedNames = new Set(changed.map((f) => f.name));
  return {
    written: [...changedNames],
    unchanged: files.filter((f) => !changedNames.has(f.name)).map((f) => f.name),
    removed,
  };
}

/** Names of the files synth may have written: manifests, kustomization files and their name-reference configurations, Application parameters, in `outdir` and one level below. */
function outputFiles(outdir: string): string[] {
  const isOutput = (e: fs.Dirent) => e.isFile() && (e.name.endsWith(MANIFEST_SUFFIX) || e.name.endsWith(PARAMS_SUFFIX) || e.name === KUSTOMIZATION_FILE || e.name === KUSTOMIZE_CONFIG_FILE);
  const entries = listFolder(outdir);
  return [
    ...entries.filter(isOutput).map((e) => e.name),
    ...entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).flatMap((dir) =>
      listFolder(path.join(outdir, dir.name)).filter(isOutput).map((e) => `${dir.name}/${e.name}`)),
  ];
}

function listFolder(folder: string): fs.Dirent[] {
  try {
    return fs.readdirSync(folder, { withFileTypes: true });
  } catch (e) {
    throw new OutputError(folder, e, 'read');
  }
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    if ((e as NodeJS.ErrnoException).code === 'EISDIR') throw new OutputError(file, 'a folder is in the way of a file synth writes; move it, or rename the workload');
    throw new OutputError(file, e, 'read');
  }
}

/** The first 4 KiB of a file: enough for its header. */
function readHead(file: string): string {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (e) {
    throw new OutputError(file, e, 'read');
  }
  try {
    const head = Buffer.alloc(4096);
    const length = fs.readSync(fd, head, 0, head.length, 0);
    return head.toString('utf8', 0, length);
  } catch (e) {
    throw new OutputError(file, e, 'read');
  } finally {
    fs.closeSync(fd);
  }
}
