import { type Finding, type K8sObject, type Manifest, recordAt } from './manifest';
import { podSpecOf, type PodSpecAt } from './pod-specs';

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
  /** What is wrong with `manifest`; `run` has every object of the same run. */
  check(manifest: Manifest, run: RunIndex): Finding[];
}

/** A workload object with a pod template, as cross-object rules look it up. */
export interface PodTemplateEntry {
  readonly manifest: Manifest;
  readonly pod: PodSpecAt;
}

/** Every object of one run, indexed for the rules that relate objects. */
export class RunIndex {
  private readonly byName = new Map<string, Manifest>();
  private readonly templatesByNamespace = new Map<string, PodTemplateEntry[]>();
  private readonly autoscalersByTarget = new Map<string, Manifest[]>();

  /**
   * @param manifests every object of the run
   * @param rules the rules the run applies
   */
  constructor(public readonly manifests: readonly Manifest[], public readonly rules: readonly Rule[]) {
    for (const manifest of manifests) {
      const { object } = manifest;
      this.byName.set(key(object.kind, namespaceOf(object), object.metadata?.name), manifest);
      const pod = podSpecOf(object);
      if (pod) push(this.templatesByNamespace, namespaceOf(object), { manifest, pod });
      if (object.kind === 'HorizontalPodAutoscaler') {
        const target = recordAt(object, ['spec', 'scaleTargetRef']);
        push(this.autoscalersByTarget, key(target.kind, namespaceOf(object), target.name), manifest);
      }
    }
  }

  /** The object of `kind` named `name` in `namespace` ('' for none), if the run has it. */
  public find(kind: unknown, namespace: string, name: unknown): Manifest | undefined {
    return this.byName.get(key(kind, namespace, name));
  }

  /** The objects with a pod template in `namespace`. */
  public podTemplates(namespace: string): readonly PodTemplateEntry[] {
    return this.templatesByNamespace.get(namespace) ?? [];
  }

  /** The HPAs that scale `object`. */
  public autoscalersOf(object: K8sObject): readonly Manifest[] {
    return this.autoscalersByTarget.get(key(object.kind, namespaceOf(object), object.metadata?.name)) ?? [];
  }
}

/** An object's namespace, or '' when it has none (it goes where it is applied). */
export function namespaceOf(object: K8sObject): string {
  return typeof object.metadata?.namespace === 'string' ? object.metadata.namespace : '';
}

function push<T>(map: Map<string, T[]>, at: string, value: T): void {
  const list = map.get(at);
  if (list) list.push(value);
  else map.set(at, [value]);
}

function key(kind: unknown, namespace: string, name: unknown): string {
  return `${String(kind)}\u0000${namespace}\u0000${String(name)}`;
}
