import { RULE_CATALOGUE, type RuleId } from '../core/rule-ids';
import { type Finding, type K8sObject, type Manifest, recordAt, show } from './manifest';
import { type ContainerAt, findContainers, findPodSpec, type PodSpecAt, selects } from './pod-specs';

/** One policy or schema rule. */
export interface Rule {
  /** Stable ID, used in reports and suppressions: `IMAGE-PINNED`. */
  readonly id: string;
  /** Why it matters, in one line. */
  readonly rationale: string;
  /** What to change. */
  readonly fix: string;
  /** The kube-linter check it corresponds to, or '-'. */
  readonly kubeLinter: string;
  /** The Polaris check it corresponds to, or '-'. */
  readonly polaris: string;
  /** Whether a workload may suppress it with a written reason; never for what the API server would reject. */
  readonly suppressible: boolean;
  /** `warning`: reported, but the run does not fail. @default - an error: the run fails */
  readonly severity?: 'warning';
  /** What is wrong with `manifest`; `run` has every object of the same run. */
  check(manifest: Manifest, run: RunIndex): Finding[];
  /**
   * The part of the rule that relates `manifest` to other objects, when `check` judges it alone:
   * its findings follow those of `check`. Kept apart so that watch mode re-runs only this part for
   * an unchanged object. @default - none
   */
  across?(manifest: Manifest, run: RunIndex): Finding[];
}

/** The id of a catalogued rule and whether a workload may suppress it, as lib/core/rule-ids.ts has them. */
export function catalogued(id: RuleId): Pick<Rule, 'id' | 'suppressible'> {
  return { id, suppressible: RULE_CATALOGUE[id].suppressible };
}

/**
 * What a RunIndex works out per object (pod specs, containers, rules' notes), kept across runs
 * when one memory is given to each (watch mode: an unchanged workload's objects are the same
 * objects), so that only new objects are worked out. Objects must not change once checked.
 */
export class RunMemory {
  public readonly podSpecs = new WeakMap<K8sObject, PodSpecAt | undefined>();
  public readonly containerLists = new WeakMap<PodSpecAt, ContainerAt[]>();
  private readonly memos = new Map<string, WeakMap<K8sObject, unknown>>();

  public memo<T>(name: string): WeakMap<K8sObject, T> {
    let memo = this.memos.get(name);
    if (!memo) this.memos.set(name, memo = new WeakMap());
    return memo as WeakMap<K8sObject, T>;
  }
}

/** A workload object with a pod template, as cross-object rules look it up. */
export interface PodTemplateEntry {
  readonly manifest: Manifest;
  readonly pod: PodSpecAt;
}

/**
 * Every object of one run, indexed once for the rules that relate objects,
 * so that a run stays linear in the number of objects. An object without a
 * namespace goes wherever it is applied, so it matches objects of any
 * namespace.
 */
export class RunIndex {
  private readonly byKindAndName = new Map<string, Manifest[]>();
  private readonly templates: PodTemplateEntry[] = [];
  /** Per label key, the templates by their value of it: made only for the keys a selector starts with. */
  private readonly templatesByLabel = new Map<string, Map<unknown, PodTemplateEntry[]>>();
  private readonly autoscalersByTarget = new Map<string, Manifest[]>();
  private readonly podSpecs: WeakMap<K8sObject, PodSpecAt | undefined>;
  private readonly containerLists: WeakMap<PodSpecAt, ContainerAt[]>;
  private readonly selections = new Map<string, PodTemplateEntry[]>();
  private readonly firstByIdentity = new Map<string, Manifest>();
  private readonly duplicates = new Map<Manifest, Manifest>();

  /**
   * @param manifests every object of the run
   * @param rules the rules the run applies
   * @param memory what earlier runs worked out about the same objects (watch mode); by default, nothing
   */
  constructor(public readonly manifests: readonly Manifest[], public readonly rules: readonly Rule[], private readonly memory: RunMemory = new RunMemory()) {
    this.podSpecs = memory.podSpecs;
    this.containerLists = memory.containerLists;
    for (const manifest of manifests) {
      const { object } = manifest;
      const kindName = kindAndName(object.kind, object.metadata?.name);
      push(this.byKindAndName, kindName, manifest);
      const identity = `${show(object.apiVersion)}\u0000${namespaceOf(object)}\u0000${kindName}`;
      const first = this.firstByIdentity.get(identity);
      if (first) this.duplicates.set(manifest, first);
      else if (typeof object.metadata?.name === 'string') this.firstByIdentity.set(identity, manifest);
      const pod = this.podSpec(object);
      if (pod) this.templates.push({ manifest, pod });
      if (object.kind === 'HorizontalPodAutoscaler' || object.kind === 'ScaledObject') {
        const target = recordAt(object, ['spec', 'scaleTargetRef']);
        // A ScaledObject's target kind defaults to Deployment.
        push(this.autoscalersByTarget, kindAndName(target.kind ?? 'Deployment', target.name), manifest);
      }
    }
  }

  /** The earlier object of the run with the same apiVersion, kind, namespace and name, if any. */
  public duplicateOf(manifest: Manifest): Manifest | undefined {
    return this.duplicates.get(manifest);
  }

  /** What a rule notes per object under `name`, kept as long as the run's memory: a rule's own per-object cache. */
  public memo<T>(name: string): WeakMap<K8sObject, T> {
    return this.memory.memo<T>(name);
  }

  /** The pod spec of `object`, worked out once per run. */
  public podSpec(object: K8sObject): PodSpecAt | undefined {
    if (!this.podSpecs.has(object)) this.podSpecs.set(object, findPodSpec(object));
    return this.podSpecs.get(object);
  }

  /** The containers of `pod`, worked out once per run. */
  public containers(pod: PodSpecAt): readonly ContainerAt[] {
    let list = this.containerLists.get(pod);
    if (!list) {
      list = findContainers(pod);
      this.containerLists.set(pod, list);
    }
    return list;
  }

  /** The objects of `kind` named `name` that share `namespace` with the asker. */
  public find(kind: unknown, namespace: string, name: unknown): Manifest[] {
    return (this.byKindAndName.get(kindAndName(kind, name)) ?? []).filter((m) => sameNamespace(namespace, namespaceOf(m.object)));
  }

  /** The workloads whose pod template `selector` (matchLabels) selects, in `namespace`. */
  public selected(namespace: string, selector: Readonly<Record<string, unknown>>): readonly PodTemplateEntry[] {
    const entries = Object.entries(selector);
    if (entries.length === 0) return [];
    const id = `${namespace}\u0000${show(selector)}`;
    let found = this.selections.get(id);
    if (!found) {
      // Every template selected carries the selector's first label: only those are candidates.
      const [key, value] = entries[0];
      found = (this.templatesWithLabel(key).get(value) ?? [])
        .filter((t) => sameNamespace(namespace, namespaceOf(t.manifest.object)) && selects(selector, t.pod.labels));
      this.selections.set(id, found);
    }
    return found;
  }

  /** The templates that have label `key`, by its value; indexed when a selector first starts with `key` (few keys ever do). */
  private templatesWithLabel(key: string): Map<unknown, PodTemplateEntry[]> {
    let byValue = this.templatesByLabel.get(key);
    if (!byValue) {
      byValue = new Map();
      for (const template of this.templates) {
        if (Object.hasOwn(template.pod.labels, key)) push(byValue, template.pod.labels[key], template);
      }
      this.templatesByLabel.set(key, byValue);
    }
    return byValue;
  }

  /** The HPAs and KEDA ScaledObjects that scale `object`. */
  public autoscalersOf(object: K8sObject): Manifest[] {
    return (this.autoscalersByTarget.get(kindAndName(object.kind, object.metadata?.name)) ?? [])
      .filter((m) => sameNamespace(namespaceOf(object), namespaceOf(m.object)));
  }
}

/** An object's namespace, or '' when it has none (it goes where it is applied). */
export function namespaceOf(object: K8sObject): string {
  return typeof object.metadata?.namespace === 'string' ? object.metadata.namespace : '';
}

function sameNamespace(a: string, b: string): boolean {
  return a === b || a === '' || b === '';
}

function push<K, T>(map: Map<K, T[]>, at: K, value: T): void {
  const list = map.get(at);
  if (list) list.push(value);
  else map.set(at, [value]);
}

function kindAndName(kind: unknown, name: unknown): string {
  return `${show(kind)}\u0000${show(name)}`;
}
