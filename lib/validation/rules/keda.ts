import { at, type Finding, type K8sObject, listAt, recordAt, show } from '../manifest';
import { apiGroup } from '../pod-specs';
import { catalogued, namespaceOf, type Rule, type RunIndex } from '../rule';

// References between KEDA's objects that Kubernetes does not check: a trigger's
// authenticationRef names a TriggerAuthentication (or ClusterTriggerAuthentication).

const KEDA_SCALERS = ['ScaledObject', 'ScaledJob'];

export const TRIGGER_AUTH_EXISTS: Rule = {
  ...catalogued('TRIGGER-AUTH-EXISTS'),
  rationale: 'A KEDA trigger whose authenticationRef names no TriggerAuthentication of the run cannot authenticate: the scaler fails and the workload stops scaling (a Kustomize namePrefix that renames the TriggerAuthentication but not the reference does this).',
  fix: 'Name a TriggerAuthentication of the same namespace (or a ClusterTriggerAuthentication, with kind); suppress the rule with a reason when it is managed elsewhere.',
  kubeLinter: '-',
  polaris: '-',
  check({ object }, run) {
    if (typeof object.kind !== 'string' || !KEDA_SCALERS.includes(object.kind) || apiGroup(object.apiVersion) !== 'keda.sh') return [];
    return listAt(object, ['spec', 'triggers']).flatMap((trigger, i): Finding[] => {
      const ref = recordAt(trigger, ['authenticationRef']);
      // A missing or misshapen name is K8S-SCHEMA's to report.
      if (typeof ref.name !== 'string') return [];
      const kind = ref.kind ?? 'TriggerAuthentication';
      return authentication(object, run, kind, ref.name) ? [] : [{
        path: ['spec', 'triggers', i, 'authenticationRef', 'name'],
        message: `no ${show(kind)} '${ref.name}'${kind === 'ClusterTriggerAuthentication' ? '' : ` in namespace '${namespaceOf(object) || '(none)'}'`} in this run`,
      }];
    });
  },
};

/** The TriggerAuthentication (of the scaler's namespace) or ClusterTriggerAuthentication `name`, when the run has it. */
function authentication(object: K8sObject, run: RunIndex, kind: unknown, name: string): boolean {
  const namespace = kind === 'ClusterTriggerAuthentication' ? '' : namespaceOf(object);
  return run.find(kind, namespace, name).some((m) => apiGroup(m.object.apiVersion) === 'keda.sh' && (kind !== 'ClusterTriggerAuthentication' || at(m.object, ['metadata', 'namespace']) === undefined));
}
