import { imageTag } from '../core/image';
import { isLabelValue } from '../core/names';
import { step } from '../core/steps';

export const NAME_LABEL = 'app.kubernetes.io/name';
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';
export const COMPONENT_LABEL = 'app.kubernetes.io/component';
export const VERSION_LABEL = 'app.kubernetes.io/version';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'cdk8s-ml';

/** Labels a workload's own labels may not override: they select its pods or say who manages it. */
const RESERVED_LABELS: readonly string[] = [NAME_LABEL, INSTANCE_LABEL, MANAGED_BY_LABEL];

/** The workload's own labels may not be reserved ones. */
export const reservedLabelsStep = step(['labels'], (props, { issues }): void => {
  for (const key of Object.keys(props.labels ?? {}).filter((k) => RESERVED_LABELS.includes(k))) {
    issues.push({ path: ['labels', key], message: `'${key}' is set by cdk8s-ml from the workload (it selects the pods); remove it from 'labels'` });
  }
});

/**
 * The pod selector: derived from the workload name only, never from construct
 * ids, paths or hashes, so refactoring code cannot change an immutable selector.
 */
export function selectorLabels(name: string): Record<string, string> {
  return { [NAME_LABEL]: name, [INSTANCE_LABEL]: name };
}

/** The recommended `app.kubernetes.io/*` labels plus the workload's own. */
export function workloadLabels(name: string, component: string, image: string, extra: Readonly<Record<string, string>> = {}): Record<string, string> {
  const version = imageTag(image);
  return {
    ...selectorLabels(name),
    [COMPONENT_LABEL]: component,
    [MANAGED_BY_LABEL]: MANAGED_BY,
    // A digest-only image has no version to show; a tag that is not a valid label value is left out.
    ...(version !== undefined && isLabelValue(version) ? { [VERSION_LABEL]: version } : {}),
    ...extra,
  };
}
