import { BuildCache, type BuiltWorkload } from './build-workloads';
import type { KnownFile } from './write-manifests';
import { CheckCache } from '../../lib/validation/validate-manifests';

/**
 * What the runs of one watch keep from one to the next, so that a run redoes only what changed:
 * each workload file's documents and builds (while the configuration and the environments file
 * stay the same), each workload's objects and YAML, the findings of the rules that look at one
 * object alone, and what the output folder holds. The checks across objects (duplicate names,
 * namespaces, Services and budgets selecting pods, dangling references) run on the whole fleet
 * every time.
 */
export class SynthSession {
  public build = new BuildCache();
  public readonly checks = new CheckCache();
  /** Each workload's manifest text. */
  public readonly rendered = new WeakMap<BuiltWorkload, string>();
  public readonly output = new Map<string, KnownFile>();
  /** Runs done, failed ones included. */
  public runs = 0;
  /** The workload files the watcher saw change since the last run; undefined when it cannot tell (every file is checked). */
  public changed?: Set<string>;
  private inputsKey?: string;

  /** Called at the start of a run with what its builds depend on besides the workload files: a change starts the builds over. */
  public useInputs(key: string): void {
    if (key !== this.inputsKey) this.build = new BuildCache();
    this.inputsKey = key;
    // Taken by this run: what changes from now on is the next run's.
    this.build.changed = this.changed;
    this.changed = new Set();
  }

  /**
   * Notes a change the watcher saw below the workloads folder: a workload file, or, when it cannot
   * tell which files changed (a folder moved in, an event without a name), `undefined`.
   */
  public sawChange(file: string | undefined): void {
    if (file === undefined) this.changed = undefined;
    else this.changed?.add(file);
  }
}
