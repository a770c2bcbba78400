import type { PropIssue } from './errors';
import type { WorkloadProfile } from './profile';
import type { WorkloadProps } from './workload-props';

// How a workload's props are resolved: in steps, each declaring the props it reads.
// The feature folders write the steps; lib/workload/resolve.ts runs them in turn.

/** What every step is given besides the props: the kind's defaults, and where problems go. */
export interface StepContext {
  readonly profile: WorkloadProfile;
  readonly issues: PropIssue[];
}

/**
 * One step of resolving a workload: it reads the props named in `reads` and no
 * other (its `props` parameter has only those keys, so reading another does
 * not compile), takes what earlier steps resolved as `inputs`, appends the
 * problems it finds to the context's `issues` and returns what it resolved.
 */
export interface Step<K extends keyof WorkloadProps, A extends readonly unknown[], R> {
  readonly reads: readonly K[];
  readonly run: (props: Pick<WorkloadProps, K>, context: StepContext, ...inputs: A) => R;
}

/** A step reading the props `reads`; write `run` inline, so that its `props` is typed by `reads`. */
export function step<K extends keyof WorkloadProps, A extends readonly unknown[], R>(
  reads: readonly K[],
  run: (props: Pick<WorkloadProps, NoInfer<K>>, context: StepContext, ...inputs: A) => R,
): Step<K, A, R> {
  return { reads, run };
}

/** What a step resolved, with every prop it depends on: those it read and those its inputs depend on. */
export interface Resolved<T> {
  readonly value: T;
  readonly from: ReadonlySet<string>;
}

const NOTHING: ReadonlySet<string> = new Set();

/**
 * Runs the steps of one workload. Where some top-level props failed the schema
 * (`failed`), the rules that relate props still run, so that one run reports
 * every problem, but only the steps that depend on none of the failed props:
 * a step that does is skipped, and so is every step that takes what it
 * resolved. Nothing stands in for a prop that failed, and no step sees one.
 * A skipped step resolves to undefined, which only skipped steps take; the
 * caller builds nothing from a run with failed props.
 */
export class StepRunner {
  public constructor(
    private readonly props: WorkloadProps,
    private readonly context: StepContext,
    private readonly failed: ReadonlySet<string> = NOTHING,
  ) {}

  public run<K extends keyof WorkloadProps, A extends readonly unknown[], R>(s: Step<K, A, R>, ...inputs: { readonly [I in keyof A]: Resolved<A[I]> }): Resolved<R> {
    const values = inputs.map((i) => i.value) as unknown as A;
    if (this.failed.size === 0) return { value: s.run(this.props, this.context, ...values), from: NOTHING };
    const from = new Set<string>(s.reads);
    for (const input of inputs) for (const key of input.from) from.add(key);
    if ([...from].some((key) => this.failed.has(key))) return { value: undefined as R, from };
    return { value: s.run(this.props, this.context, ...values), from };
  }
}
