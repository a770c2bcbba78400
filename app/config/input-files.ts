import * as fs from 'node:fs';
import * as path from 'node:path';

/** A folder entry that cannot be read: its path and why, e.g. a link to a missing file. */
export interface UnreadableEntry {
  /** The entry, as found (a path below the folder searched). */
  readonly path: string;
  /** Why it cannot be read, e.g. `permission denied (EACCES)`. */
  readonly cause: string;
}

/** The YAML files below a folder, and the entries that could not be read. */
export interface FoundFiles {
  /** Every `*.yaml` / `*.yml` regular file, sorted. */
  readonly files: string[];
  /** Entries that may hold YAML but cannot be read, sorted by path. */
  readonly unreadable: UnreadableEntry[];
  /** Whether a symbolic link was followed: what is behind it lies outside the folder. */
  readonly links: boolean;
}

const YAML_NAME = /\.ya?ml$/;

/**
 * Every `*.yaml` / `*.yml` below `dir`, sorted, skipping hidden files and
 * folders. Symbolic links are followed (each folder is read once). Nothing
 * that may hold YAML is left out quietly: a folder that cannot be listed, a
 * link whose target is missing or part of a loop (it may have been a folder
 * of workloads), and a `.yaml` entry that is not a regular file (a FIFO, a
 * socket, a device) come back as unreadable, with the cause.
 */
export function findYamlFiles(dir: string): FoundFiles {
  const files: string[] = [];
  const unreadable: UnreadableEntry[] = [];
  let links = false;
  const visited = new Set<string>();
  const walk = (current: string) => {
    let entries: fs.Dirent[];
    try {
      const real = fs.realpathSync(current);
      if (visited.has(real)) return;
      visited.add(real);
      entries = fs.readdirSync(current, { withFileTypes: true });
    } catch (e) {
      unreadable.push({ path: current, cause: unreadableCause(e, current) });
      return;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(current, entry.name);
      // The listing knows files and folders; a link (or an entry of unknown type) is followed with stat.
      let type: fs.Dirent | fs.Stats = entry;
      if (!entry.isFile() && !entry.isDirectory()) {
        links ||= entry.isSymbolicLink();
        try {
          type = fs.statSync(full);
        } catch (e) {
          unreadable.push({ path: full, cause: unreadableCause(e, full) });
          continue;
        }
      }
      if (type.isDirectory()) walk(full);
      else if (!YAML_NAME.test(entry.name)) continue;
      else if (type.isFile()) files.push(full);
      else unreadable.push({ path: full, cause: notRegularCause(type) });
    }
  };
  walk(dir);
  files.sort();
  unreadable.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, unreadable, links };
}

/**
 * The text of a regular file of at most `maxBytes` bytes, or why it cannot be
 * had. Anything else is refused: the file is opened without waiting (a FIFO
 * never hangs the run) and read into a buffer one byte larger than the limit,
 * so a huge file or a device that never ends costs at most that. The file's
 * type is only asked for when the read looks wrong (nothing read, the buffer
 * full, an error), which keeps the common case to one open and one read.
 * `what` names the kind of file in the size message: `a workload file`.
 */
export function readInputFile(file: string, maxBytes: number, what: string): { text: string; cause?: undefined } | { text?: undefined; cause: string } {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch (e) {
    return { cause: unreadableCause(e, file) };
  }
  try {
    const buffer = readBuffer(maxBytes + 1);
    let length = 0;
    try {
      for (let read = -1; read !== 0 && length < buffer.length;) {
        read = fs.readSync(fd, buffer, length, buffer.length - length, null);
        length += read;
      }
    } catch (e) {
      return { cause: irregularCause(fd) ?? unreadableCause(e, file) };
    }
    if (length === 0 || length > maxBytes) {
      const cause = irregularCause(fd);
      if (cause !== undefined) return { cause };
      if (length > maxBytes) return { cause: tooLargeCause(fs.fstatSync(fd).size, maxBytes, what) };
    }
    return { text: buffer.toString('utf8', 0, length) };
  } catch (e) {
    return { cause: unreadableCause(e, file) };
  } finally {
    fs.closeSync(fd);
  }
}

let sharedBuffer: Buffer | undefined;

/** One buffer of at least `size` bytes, reused by every read (reads are synchronous). */
function readBuffer(size: number): Buffer {
  if (sharedBuffer === undefined || sharedBuffer.length < size) sharedBuffer = Buffer.allocUnsafe(size);
  return sharedBuffer.length === size ? sharedBuffer : sharedBuffer.subarray(0, size);
}

/** Why the open file `fd` is not read as text when it is not a regular file (a FIFO, a device, a folder). */
function irregularCause(fd: number): string | undefined {
  const stat = fs.fstatSync(fd);
  return stat.isFile() ? undefined : notRegularCause(stat);
}

/** `4 MiB`, `1.5 MiB`, `512 KiB`. */
export function formatBytes(bytes: number): string {
  const [unit, size] = bytes >= 1024 * 1024 ? ['MiB', 1024 * 1024] : bytes >= 1024 ? ['KiB', 1024] : ['bytes', 1];
  return `${Number((bytes / (size as number)).toFixed(1))} ${unit}`;
}

function tooLargeCause(size: number, maxBytes: number, what: string): string {
  return `it is ${formatBytes(size)}, above the limit of ${formatBytes(maxBytes)} for ${what}; split it into smaller files`;
}

/** Why an entry that is not a regular file (a FIFO, a socket, a device) is not read. */
export function notRegularCause(type: fs.Dirent | fs.Stats): string {
  const kind = type.isDirectory() ? 'a folder'
    : type.isFIFO() ? 'a FIFO (named pipe)'
      : type.isSocket() ? 'a socket'
        : type.isCharacterDevice() ? 'a character device'
          : type.isBlockDevice() ? 'a block device'
            : 'of an unknown type';
  return `it is ${kind}, not a regular file; replace it with the file it stands for, or remove it`;
}

/** Why `file` cannot be read, from the error reading it: the cause in words, with the error code. */
export function unreadableCause(error: unknown, file: string): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': {
      const target = linkTarget(file);
      return target === undefined
        ? 'it does not exist (ENOENT); it was removed while being read'
        : `it is a symbolic link to '${target}', which does not exist (ENOENT); fix the link or remove it`;
    }
    case 'ELOOP':
      return 'it is a loop of symbolic links (ELOOP): following them never reaches a file or folder; fix the links or remove them';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code}); make it readable by the user running this command (folders need read and execute permission)`;
    case 'ENOTDIR':
      return 'a part of its path is not a folder (ENOTDIR)';
    default:
      return `${(error as Error).message}${code && !(error as Error).message.includes(code) ? ` (${code})` : ''}`;
  }
}

function linkTarget(file: string): string | undefined {
  try {
    return fs.readlinkSync(file);
  } catch {
    return undefined;
  }
}
