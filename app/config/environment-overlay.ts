import type { PropPath } from '../../lib/core/errors';
import { isMapping } from '../../lib/core/issues';
import { modeTakes } from '../../lib/core/modes';
import type { PipelineMode } from '../../lib/core/workload-props';
import { closestMatch } from '../../lib/core/suggest';
import type { EnvironmentConfig, EnvironmentsConfig } from './environments-file';
import type { FileIssue, WorkloadDocument } from './workload-file';

/** The key of a workload file that holds its per-environment overrides. */
export const ENVIRONMENTS_KEY = 'environments';

// Keys that make a workload what it is, the same in every environment.
/** Keys a workload file cannot change per environment. */
export const FIXED_KEYS = ['kind', 'name', ENVIRONMENTS_KEY];

/** One workload of one environment: the merged keys, and where a problem at a key of them is reported. */
export interface EnvironmentWorkload {
  readonly environment: string;
  readonly data: Record<string, unknown>;
  /** The file, line and field a problem at `path` of `data` comes from: the override, the workload file or the environment's defaults. */
  readonly locate: (path: PropPath) => Omit<FileIssue, 'message'>;
}

type Layer = 'override' | 'environmentOverrides' | 'base' | 'defaults' | 'environmentNamespace';

// Environment defaults a workload cannot take are left out for it, so that one
// list of defaults fits servers, workers and jobs alike.
interface Shape {
  readonly mode: PipelineMode;
  readonly hasPort: boolean;
  /** A fixed replica count rather than autoscaling. */
  readonly fixed: boolean;
}

// Besides the keys its mode takes (lib/core/modes.ts), the ones its shape takes.
const SHAPE_FITS: Readonly<Record<string, (shape: Shape) => boolean>> = {
  replicas: ({ fixed }) => fixed,
  // A mode that takes autoscaling but no replica count (a queue-job) is always autoscaled.
  autoscaling: ({ mode, fixed }) => !fixed || !modeTakes(mode, 'replicas'),
  service: ({ hasPort }) => hasPort,
  probes: ({ hasPort }) => hasPort,
};

function fits(key: string, shape: Shape): boolean {
  return modeTakes(shape.mode, key) && (SHAPE_FITS[key]?.(shape) ?? true);
}

/**
 * Problems with the `environments` key of a workload document: names that
 * are not environments, overrides that are not mappings, keys that cannot
 * change per environment. Checked once per document; `noEnvironments` says
 * why there are no environments when there are none.
 */
export function overrideIssues(document: WorkloadDocument, environments: EnvironmentsConfig | undefined, noEnvironments: string): FileIssue[] {
  const given = document.data[ENVIRONMENTS_KEY];
  if (given === undefined) return [];
  if (!environments) {
    return [document.issue([ENVIRONMENTS_KEY], `overrides need an environments file, and ${noEnvironments}; create it, or remove '${ENVIRONMENTS_KEY}'`)];
  }
  if (!isMapping(given)) return [document.issue([ENVIRONMENTS_KEY], 'must be a mapping of environment names to overrides, e.g. { prod: { autoscaling: { maxReplicas: 40 } } }')];
  const names = environments.environments.map((e) => e.name);
  const issues: FileIssue[] = [];
  for (const [name, override] of Object.entries(given)) {
    if (!names.includes(name)) {
      const hint = closestMatch(name, names);
      issues.push(document.issue([ENVIRONMENTS_KEY, name], `'${name}' is not an environment of ${environments.file}; ${hint ? `did you mean '${hint}'?` : `use ${names.join(', ')}`}`));
    } else if (override !== null && !isMapping(override)) {
      issues.push(document.issue([ENVIRONMENTS_KEY, name], 'must be a mapping of workload keys, e.g. { autoscaling: { maxReplicas: 40 } }'));
    } else {
      for (const key of Object.keys(override ?? {}).filter((k) => FIXED_KEYS.includes(k))) {
        issues.push(document.issue([ENVIRONMENTS_KEY, name, key], `'${key}' is the same in every environment and cannot be overridden`));
      }
    }
  }
  return issues;
}

/**
 * The workload of `document` in `environment`, in layers, each over the one
 * before: the environment's defaults, the workload file, the environment's
 * overrides, the file's own override for the environment. The environment's
 * layers keep only the keys the workload can take (no `autoscaling` for a
 * fixed replica count, no `job` for a Deployment). Mappings merge key by key;
 * lists and values replace; `null` removes a key. The environment's namespace
 * replaces the workload's unless the file's override names one.
 */
export function workloadInEnvironment(document: WorkloadDocument, environment: EnvironmentConfig, environments: EnvironmentsConfig, defaultPort: boolean): EnvironmentWorkload {
  const { [ENVIRONMENTS_KEY]: overrides, ...base } = document.data;
  const given = isMapping(overrides) && isMapping(overrides[environment.name]) ? overrides[environment.name] as Record<string, unknown> : {};
  // What cannot change per environment is reported by overrideIssues and left out here.
  const override = Object.fromEntries(Object.entries(given).filter(([key]) => !FIXED_KEYS.includes(key)));
  // The workload's own keys as its override leaves them (null removes one).
  const own = (key: string) => (key in override ? override[key] ?? undefined : base[key]);
  const shape: Shape = {
    // A mode that is none takes none of the mode-bound keys; the workload's check reports it.
    mode: String(own('mode') ?? 'worker') as PipelineMode,
    hasPort: defaultPort || own('port') !== undefined,
    fixed: own('replicas') !== undefined && own('autoscaling') === undefined,
  };
  const fitting = (keys: Readonly<Record<string, unknown>>) => Object.fromEntries(Object.entries(keys).filter(([key]) => fits(key, shape)));
  const environmentOverrides = fitting(environment.overrides);
  const data = merge(merge(merge(merge({}, fitting(environment.defaults)), base), environmentOverrides), override);
  const namespaceFromEnvironment = environment.namespace !== undefined && !('namespace' in override);
  if (namespaceFromEnvironment) data.namespace = environment.namespace;
  const layers: [Layer, unknown][] = [['override', override], ['environmentOverrides', environmentOverrides], ['base', base], ['defaults', environment.defaults]];
  const locate = (path: PropPath): Omit<FileIssue, 'message'> => {
    const layer = path[0] === 'namespace' && namespaceFromEnvironment ? 'environmentNamespace' : sourceOf(path, layers);
    const where = {
      override: () => ({ document, path: [ENVIRONMENTS_KEY, environment.name, ...path] }),
      base: () => ({ document, path }),
      environmentOverrides: () => ({ document: environments.document, path: [ENVIRONMENTS_KEY, environment.name, 'overrides', ...path] }),
      defaults: () => ({ document: environments.document, path: [ENVIRONMENTS_KEY, environment.name, 'defaults', ...path] }),
      environmentNamespace: () => ({ document: environments.document, path: [ENVIRONMENTS_KEY, environment.name, 'namespace'] }),
    }[layer]();
    return { file: where.document.file, line: where.document.lineOf(where.path), path: where.path };
  };
  return { environment: environment.name, data, locate };
}

// The layer that wrote the value at `path`: the one that holds most of it, the later layer on a tie.
function sourceOf(path: PropPath, layers: readonly [Layer, unknown][]): Layer {
  let best: Layer = 'base';
  let bestDepth = 0;
  for (const [layer, data] of layers) {
    const depth = depthIn(data, path);
    if (depth > bestDepth) {
      best = layer;
      bestDepth = depth;
    }
  }
  return best;
}

function depthIn(data: unknown, path: PropPath): number {
  let node = data;
  let depth = 0;
  for (const part of path) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part)) break;
    node = (node as Record<string | number, unknown>)[part];
    depth++;
    // A list is replaced whole: whoever wrote it wrote all of it.
    if (Array.isArray(node)) return depth + path.length;
  }
  return depth;
}

/**
 * `over` on top of `under`: mappings merge key by key, anything else
 * replaces, null removes (and where there is nothing to remove, is dropped).
 */
export function merge(under: Readonly<Record<string, unknown>>, over: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...under };
  for (const [key, value] of Object.entries(over)) {
    if (value === null) delete out[key];
    else if (isMapping(value)) out[key] = merge(isMapping(out[key]) ? out[key] : {}, value);
    else out[key] = value;
  }
  return out;
}
