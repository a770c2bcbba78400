// node app/launch.cjs ENTRY.ts [ARGS...]: what `npm run synth` (validate, simulate) runs.
// Compiles ENTRY.ts with esbuild into .build/ENTRY.js only when a source it was compiled from
// has changed since (esbuild's metafile names them; their size and mtime are compared), then
// runs the compiled program in this same process. An unchanged checkout thus pays neither the
// compile (0.15-0.3 s) nor a second Node start-up.
// synth, the command run most, is compiled with its packages into one file and run from V8's
// code cache (.build/main.js.cache, written by the first run), which saves parsing and compiling
// them on every run; with CDK8S_ML_DEBUG=1 it is loaded by require() instead, so that stack
// traces are mapped to the TypeScript sources. validate and simulate keep their packages
// outside (simulate's chart libraries are large, and loaded only for --chart).
// Plain CommonJS: it must run before anything is compiled.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const root = path.resolve(__dirname, '..');
const BASE = { bundle: true, platform: 'node', sourcemap: true, logLevel: 'warning' };
/** How each entry is compiled; part of the stamp, so a change to it compiles again. */
const OPTIONS = {
  // The validators of the kinds synth writes come with it (lib/validation/rules/schema.ts), other kinds' from
  // node_modules on first use; @parcel/watcher loads a native module.
  'main.ts': { ...BASE, external: ['@parcel/watcher', 'kubernetes-models/package.json'], codeCache: true },
  'validate.ts': { ...BASE, packages: 'external' },
  'simulate.ts': { ...BASE, packages: 'external' },
};

/** The inputs of the last compile with their size and mtime, as `path size mtime` lines after the options. */
function stampOf(options, inputs) {
  const lines = [JSON.stringify(options)];
  for (const input of inputs) {
    const stat = fs.statSync(path.join(root, input), { throwIfNoEntry: false });
    if (!stat) return undefined;
    lines.push(`${input} ${stat.size} ${stat.mtimeMs}`);
  }
  return `${lines.join('\n')}\n`;
}

/** True when `outfile` was compiled from the sources as they are now. */
function upToDate(options, outfile, stampFile) {
  let stamp;
  try {
    stamp = fs.readFileSync(stampFile, 'utf8');
  } catch {
    return false;
  }
  if (!fs.existsSync(outfile)) return false;
  const inputs = stamp.split('\n').slice(1, -1).map((line) => line.slice(0, line.indexOf(' ')));
  return stampOf(options, inputs) === stamp;
}

/** Compiles `entry` into `outfile` (and its source map), then writes its stamp. */
function compile(entry, options, outfile, stampFile) {
  const esbuild = require('esbuild');
  const build = { ...options };
  delete build.codeCache;
  // An input changed from now on, while esbuild reads the sources, must compile again next time.
  const started = Date.now();
  let result;
  try {
    result = esbuild.buildSync({ ...build, entryPoints: [path.join(root, entry)], outfile, write: false, metafile: true, absWorkingDir: root });
  } catch {
    // esbuild has printed the errors (logLevel warning).
    process.exit(1);
  }
  // The packages compiled in are stood for by node_modules/.package-lock.json, which every npm install or ci
  // rewrites; esbuild also reads tsconfig.json; and this file says how to compile.
  const inputs = [...Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('node_modules/')), 'node_modules/.package-lock.json', 'tsconfig.json', 'app/launch.cjs'].sort();
  fs.rmSync(`${outfile}.cache`, { force: true });
  // The source map first: the program names it.
  for (const output of [...result.outputFiles].sort((a, b) => Number(b.path.endsWith('.map')) - Number(a.path.endsWith('.map')))) {
    writeAtomically(output.path, output.contents);
  }
  // No stamp when an input may have changed during the compile (its mtime is not before the start): the next run compiles again.
  const stamp = stampOf(options, inputs);
  const changedSince = inputs.some((input) => (fs.statSync(path.join(root, input), { throwIfNoEntry: false })?.mtimeMs ?? Infinity) >= started - 1);
  if (stamp !== undefined && !changedSince) writeAtomically(stampFile, stamp);
  else fs.rmSync(stampFile, { force: true });
}

/** Written beside under another name and renamed, so that two runs at once never read half a file. */
function writeAtomically(file, contents) {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, contents);
  fs.renameSync(temporary, file);
}

/**
 * Runs the CommonJS program `file` as require() would, but compiled with V8's code cache `file.cache`
 * when there is one V8 accepts, writing one when there is not (after the run, so that it holds the
 * functions the run compiled too).
 */
function runCached(file) {
  const cacheFile = `${file}.cache`;
  // The cache starts with the stamp of the program it was made from: V8 checks only the source's length.
  const key = Buffer.from(`${bundleStamp(file)}\n`);
  let cachedData;
  try {
    const cache = fs.readFileSync(cacheFile);
    if (cache.subarray(0, key.length).equals(key)) cachedData = cache.subarray(key.length);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(fs.readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
    ...(vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER ? { importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER } : {}),
  });
  if (cachedData === undefined || script.cachedDataRejected) {
    process.once('exit', () => {
      // Not for a program another run has compiled again meanwhile.
      if (`${bundleStamp(file)}\n` !== key.toString()) return;
      try {
        writeAtomically(cacheFile, Buffer.concat([key, script.createCachedData()]));
      } catch {
        // A read-only checkout runs without the cache.
      }
    });
  }
  const program = new Module(file, null);
  program.filename = file;
  program.paths = Module._nodeModulePaths(path.dirname(file));
  require.main = program;
  script.runInThisContext().call(program.exports, program.exports, Module.createRequire(file), program, file, path.dirname(file));
}

/** The compiled program's size, mtime and inode: a new compile gives another. */
function bundleStamp(file) {
  const stat = fs.statSync(file);
  return `cdk8s-ml ${stat.size} ${stat.mtimeMs} ${stat.ino}`;
}

/** True when process `pid` runs (or exists under another user). */
function running(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Removes the temporary files of runs killed while they wrote `.build/NAME.*` (their process is gone). */
function removeLeftovers(folder, name) {
  let entries;
  try {
    entries = fs.readdirSync(folder);
  } catch {
    return;
  }
  for (const entry of entries) {
    const match = /\.(\d+)\.tmp$/.exec(entry);
    if (entry.startsWith(`${name}.`) && match && !running(Number(match[1]))) fs.rmSync(path.join(folder, entry), { force: true });
  }
}

function main() {
  const entry = process.argv[2];
  const options = OPTIONS[entry];
  if (!options) {
    process.stderr.write(`usage: node app/launch.cjs ${Object.keys(OPTIONS).join('|')} [ARGS...]\n`);
    process.exit(2);
  }
  const name = path.basename(entry, '.ts');
  const outfile = path.join(root, '.build', `${name}.js`);
  const stampFile = path.join(root, '.build', `${name}.stamp`);
  removeLeftovers(path.dirname(outfile), name);
  if (!upToDate(options, outfile, stampFile)) {
    fs.mkdirSync(path.dirname(outfile), { recursive: true });
    compile(entry, options, outfile, stampFile);
  }
  // The program sees its own arguments, as if it had been started as `node .build/NAME.js ARGS`.
  process.argv.splice(1, 2, outfile);
  const debug = ['1', 'true'].includes(process.env.CDK8S_ML_DEBUG ?? '');
  if (options.codeCache && !debug) {
    runCached(outfile);
  } else {
    process.setSourceMapsEnabled(true);
    require(outfile);
  }
}

main();
