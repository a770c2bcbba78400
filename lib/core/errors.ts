/** Where in a workload's props something is wrong: `['autoscaling', 'maxReplicas']`. */
export type PropPath = readonly (string | number)[];

/** One problem with a workload's props: the field and what to do about it. */
export interface PropIssue {
  readonly path: PropPath;
  readonly message: string;
}

/** `autoscaling.maxReplicas`, `env.LOG_LEVEL`, `command[0]`, `labels["app.kubernetes.io/name"]`. */
export function formatPath(path: PropPath): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    if (!/^[\w-]+$/.test(part)) return `${out}[${JSON.stringify(part)}]`;
    return out ? `${out}.${part}` : part;
  }, '');
}

/** Thrown by a workload construct whose props are invalid; lists every problem found. */
export class WorkloadPropsError extends Error {
  public readonly issues: readonly PropIssue[];

  constructor(workload: string, issues: readonly PropIssue[]) {
    super(`invalid props for workload '${workload}':\n${issues.map((i) => `  ${formatPath(i.path) || '(top level)'}: ${i.message}`).join('\n')}`);
    this.name = 'WorkloadPropsError';
    this.issues = issues;
  }
}
