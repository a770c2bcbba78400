/** The annotation Argo CD orders a sync by: lower waves are applied, and healthy, first. */
export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

// What a workload needs before its pods start comes before it (wave 0, unannotated);
// what watches or scales it comes after, once its target exists.
const WAVES: Readonly<Record<string, number>> = {
  Namespace: -2,
  ServiceAccount: -1,
  ConfigMap: -1,
  Secret: -1,
  NetworkPolicy: -1,
  TriggerAuthentication: -1,
  HorizontalPodAutoscaler: 1,
  ScaledObject: 1,
  PodDisruptionBudget: 1,
  ServiceMonitor: 1,
  PodMonitor: 1,
};

/** The sync-wave annotation of an object of `kind`, or none for the workload's own wave 0. */
export function syncWaveAnnotation(kind: string): Record<string, string> {
  const wave = WAVES[kind];
  return wave === undefined ? {} : { [SYNC_WAVE_ANNOTATION]: String(wave) };
}

/** The annotation of Argo CD's per-object sync options. */
export const SYNC_OPTIONS_ANNOTATION = 'argocd.argoproj.io/sync-options';

/**
 * Kinds whose CRD another Application may install (KEDA, the Prometheus Operator): Argo CD's dry
 * run of a sync fails on a kind the cluster does not know yet, so these skip it until the CRD is
 * there, and the sync's retry (see README, "Argo CD") applies them once it is.
 */
const LATE_CRD_KINDS: readonly string[] = ['TriggerAuthentication', 'ScaledObject', 'ScaledJob', 'ServiceMonitor', 'PodMonitor'];

/** The Argo CD annotations of an object of `kind`: its sync wave and, for a kind of a late CRD, SkipDryRunOnMissingResource. */
export function argoCdAnnotations(kind: string): Record<string, string> {
  return { ...syncWaveAnnotation(kind), ...(LATE_CRD_KINDS.includes(kind) ? { [SYNC_OPTIONS_ANNOTATION]: 'SkipDryRunOnMissingResource=true' } : {}) };
}
