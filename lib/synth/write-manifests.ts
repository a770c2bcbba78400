import * as fs from 'node:fs';
import * as path from 'node:path';
import { KUSTOMIZATION_FILE } from '../gitops/kustomization';
import { generatedFrom, type ManifestFile, MANIFEST_SUFFIX } from './render-manifests';

/** What a write changed in the output folder. */
export interface WriteResult {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly removed: readonly string[];
}

/** A file in the output folder could not be read or written; the message names it. */
export class OutputError extends Error {
  /** What went wrong, without the file. */
  public readonly reason: string;

  constructor(public readonly file: string, reason: unknown) {
    const text = typeof reason === 'object' && reason !== null && 'message' in reason ? String(reason.message) : String(reason);
    super(`cannot write ${file}: ${text}`);
    this.name = 'OutputError';
    this.reason = text;
  }
}

/**
 * Brings `outdir` in line with `files`. A new file is written in place; a
 * changed one is first written beside its target under a temporary name, and
 * only when every write succeeded are those renamed over the old ones. A write
 * that fails part way (a full disk, a folder in the way) removes what this run
 * wrote, so the output is as it was. Then the
 * manifests an earlier synth wrote, that are no longer produced and whose
 * source `mayRemove` (as named in their header, with the file's name), are removed, in the
 * output folder and the folders directly below it (environments); a folder
 * left empty goes too. Files synth did not write are never replaced or removed.
 * File names may name one folder level: `prod/ns.name.k8s.yaml`.
 */
export function writeManifests(outdir: string, files: readonly ManifestFile[], mayRemove: (source: string, name: string) => boolean): WriteResult {
  const folderNames = [...new Set(['.', ...files.map((f) => path.dirname(f.name))])];
  const folders = folderNames.map((folder) => path.join(outdir, folder));
  for (const folder of folders) {
    if (fs.existsSync(folder) && !fs.statSync(folder).isDirectory()) throw new OutputError(folder, 'a file is in the way of a folder synth writes');
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
  const newFolders = folders.filter((folder) => !fs.existsSync(folder));
  const written: string[] = [];
  const staged = new Map<string, string>();
  try {
    for (const folder of newFolders) fs.mkdirSync(folder, { recursive: true });
    for (const file of changed) {
      const target = path.join(outdir, file.name);
      const replacing = replaced.has(file.name);
      // A file that replaces one is written beside it under a temporary name (only then is one made).
      const into = replacing ? path.join(outdir, path.dirname(file.name), `.${path.basename(file.name)}.${process.pid}.tmp`) : target;
      // A write that fails part way may leave a piece of the file, which goes too; what was there before stays.
      if ((!replacing && !mayExist(file.name)) || !fs.existsSync(into)) written.push(into);
      writeFile(into, file.content);
      if (replacing) staged.set(into, target);
    }
  } catch (e) {
    for (const file of written) fs.rmSync(file, { force: true });
    for (const folder of [...newFolders].reverse()) fs.rmSync(folder, { recursive: true, force: true });
    throw e;
  }
  for (const [temp, target] of staged) fs.renameSync(temp, target);
  const wanted = new Set(files.map((f) => f.name));
  const removed = outputFiles(outdir)
    .filter((name) => !wanted.has(name))
    .filter((name) => {
      const source = generatedFrom(readHead(path.join(outdir, name)));
      return source !== undefined && mayRemove(source, name);
    })
    .sort();
  for (const name of removed) fs.rmSync(path.join(outdir, name));
  for (const folder of new Set(removed.map((name) => path.dirname(name)).filter((f) => f !== '.'))) {
    const full = path.join(outdir, folder);
    if (fs.readdirSync(full).length === 0) fs.rmdirSync(full);
  }
  const changedNames = new Set(changed.map((f) => f.name));
  return {
    written: [...changedNames],
    unchanged: files.filter((f) => !changedNames.has(f.name)).map((f) => f.name),
    removed,
  };
}

/** Names of the files synth may have written: manifests and kustomization files, in `outdir` and one level below. */
function outputFiles(outdir: string): string[] {
  const isOutput = (e: fs.Dirent) => e.isFile() && (e.name.endsWith(MANIFEST_SUFFIX) || e.name === KUSTOMIZATION_FILE);
  const entries = fs.readdirSync(outdir, { withFileTypes: true });
  return [
    ...entries.filter(isOutput).map((e) => e.name),
    ...entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).flatMap((dir) =>
      fs.readdirSync(path.join(outdir, dir.name), { withFileTypes: true }).filter(isOutput).map((e) => `${dir.name}/${e.name}`)),
  ];
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new OutputError(file, e);
  }
}

function writeFile(file: string, content: string): void {
  try {
    fs.writeFileSync(file, content);
  } catch (e) {
    throw new OutputError(file, e);
  }
}

/** The first line (up to 4 KiB) of a file: enough for its header. */
function readHead(file: string): string {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const length = fs.readSync(fd, head, 0, head.length, 0);
    return head.toString('utf8', 0, length).split('\n')[0];
  } finally {
    fs.closeSync(fd);
  }
}
