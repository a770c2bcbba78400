import * as fs from 'node:fs';
import * as path from 'node:path';
import { PARAMS_SUFFIX } from '../gitops/application-params';
import { KUSTOMIZATION_FILE, KUSTOMIZE_CONFIG_FILE } from '../gitops/kustomization';
import { OutputError, StagedOutput } from './output-switch';
import { generatedFrom, type ManifestFile, MANIFEST_SUFFIX } from './render-manifests';

/** A file as a session (watch mode) last left it: its content, and its size and mtime then. */
export interface KnownFile {
  readonly content: string;
  readonly stamp: string;
}

/** A file's size, mtime and inode, or undefined when it is not there. */
function fileStamp(file: string): string | undefined {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat && `${stat.size} ${stat.mtimeMs} ${stat.ino}`;
}

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
 * File names may name one folder level: `prod/ns.name.k8s.yaml`. Each file's
 * text is made, compared and staged in turn, and nothing in the folder changes
 * before all are; a failure throws OutputError naming the file, with the folder
 * as it was. `known` (watch mode)
 * holds what an earlier call of the same session left in each file: a file
 * whose size and mtime are still those it had then, and whose content is to
 * stay, is not read again; `known` is brought up to date with this call.
 */
export function writeManifests(outdir: string, files: readonly ManifestFile[], mayRemove: (source: string, name: string) => boolean, stillLocked: () => boolean = () => true, known?: Map<string, KnownFile>): WriteResult {
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
  // Files `known` vouched for: their stamps stand.
  const verified = new Set<string>();
  const written: string[] = [];
  const unchanged: string[] = [];
  // Each file's text is made, compared with the file there and staged (when it changed) in turn, and
  // then dropped; a session keeps them to know the files next time.
  const contents = known && new Map<string, string>();
  const staged = new StagedOutput(outdir);
  let removed: string[];
  try {
    for (const file of files) {
      const content = file.content();
      contents?.set(file.name, content);
      if (isUnchanged(file.name, content)) {
        unchanged.push(file.name);
      } else {
        staged.write(file.name, content);
        written.push(file.name);
      }
    }
    removed = staleFiles(outdir, files, mayRemove);
    const keptFolders = new Set(folderNames);
    staged.commit({
      remove: removed,
      createFolders: folderNames.filter((folder) => folder !== '.' && !fs.existsSync(path.join(outdir, folder))),
      pruneFolders: [...new Set(removed.map((name) => path.dirname(name)))].filter((folder) => folder !== '.' && !keptFolders.has(folder)),
    }, replaced, stillLocked);
  } finally {
    staged.discard();
  }
  if (known) remember(known, outdir, contents!, removed, verified);
  return { written, unchanged, removed };

  /** Whether the file `name` holds `content` already; throws when a file synth did not write is there. */
  function isUnchanged(name: string, content: string): boolean {
    // What this session (watch mode) wrote or read there, and is still there as it was, is not read again.
    const before = known?.get(name);
    if (before?.content === content && mayExist(name) && before.stamp === fileStamp(path.join(outdir, name))) {
      replaced.add(name);
      verified.add(name);
      return true;
    }
    const target = path.join(outdir, name);
    const current = mayExist(name) ? readIfExists(target) : undefined;
    if (current !== undefined && generatedFrom(current) === undefined) {
      throw new OutputError(target, 'a file that cdk8s-ml did not generate is in the way; move it, or rename the workload');
    }
    if (current !== undefined) replaced.add(name);
    return current === content;
  }
}

/** The files an earlier synth wrote in `outdir` that are not among `files` and that `mayRemove`, sorted. */
function staleFiles(outdir: string, files: readonly ManifestFile[], mayRemove: (source: string, name: string) => boolean): string[] {
  const wanted = new Set(files.map((f) => f.name));
  return outputFiles(outdir)
    .filter((name) => !wanted.has(name))
    .filter((name) => {
      const source = generatedFrom(readHead(path.join(outdir, name)));
      return source !== undefined && mayRemove(source, name);
    })
    .sort();
}

/** Brings a session's `known` files up to date after a write: the removed go, the others are stamped as they are now (unless `verified` just now). */
function remember(known: Map<string, KnownFile>, outdir: string, contents: ReadonlyMap<string, string>, removed: readonly string[], verified: ReadonlySet<string>): void {
  for (const name of removed) known.delete(name);
  for (const [name, content] of contents) {
    if (verified.has(name)) continue;
    const stamp = fileStamp(path.join(outdir, name));
    if (stamp === undefined) known.delete(name);
    else known.set(name, { content, stamp });
  }
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
