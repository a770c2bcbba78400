import * as fs from 'node:fs';
import * as path from 'node:path';
import { GENERATED_HEADER, type ManifestFile, MANIFEST_SUFFIX } from './render-manifests';

/** What a write changed in the output folder. */
export interface WriteResult {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly removed: readonly string[];
}

/**
 * Brings `outdir` in line with `files`: writes each file that changed (to a
 * temporary file, then renamed over the old one, so no reader sees half a
 * file) and removes manifests an earlier synth wrote for workloads that no
 * longer exist. Files synth did not write are never touched.
 */
export function writeManifests(outdir: string, files: readonly ManifestFile[]): WriteResult {
  fs.mkdirSync(outdir, { recursive: true });
  const written: string[] = [];
  const unchanged: string[] = [];
  for (const file of files) {
    const target = path.join(outdir, file.name);
    if (readIfExists(target) === file.content) {
      unchanged.push(file.name);
      continue;
    }
    const temp = path.join(outdir, `.${file.name}.${process.pid}.tmp`);
    fs.writeFileSync(temp, file.content);
    fs.renameSync(temp, target);
    written.push(file.name);
  }
  const wanted = new Set(files.map((f) => f.name));
  const removed = fs.readdirSync(outdir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith(MANIFEST_SUFFIX) && !wanted.has(e.name) && isGenerated(path.join(outdir, e.name)))
    .map((e) => e.name)
    .sort();
  for (const name of removed) fs.rmSync(path.join(outdir, name));
  return { written, unchanged, removed };
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

function isGenerated(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(GENERATED_HEADER.length);
    fs.readSync(fd, head, 0, head.length, 0);
    return head.toString('utf8') === GENERATED_HEADER;
  } finally {
    fs.closeSync(fd);
  }
}
