import { validateManifests } from '../../lib/validation/validate-manifests';

// TRIGGER-AUTH-EXISTS: a KEDA trigger's authenticationRef must name a TriggerAuthentication of the run.

const scaler = (kind: 'ScaledObject' | 'ScaledJob', ref: Record<string, string>) => ({
  apiVersion: 'keda.sh/v1alpha1', kind, metadata: { name: 'w', namespace: 'ml' },
  spec: { ...(kind === 'ScaledObject' ? { scaleTargetRef: { name: 'w' } } : { jobTargetRef: { template: { spec: { containers: [] } } } }), triggers: [{ type: 'rabbitmq', metadata: { queueName: 'q', mode: 'QueueLength', value: '5' }, authenticationRef: ref }] },
});
const auth = (kind: string, namespace?: string) => ({ apiVersion: 'keda.sh/v1alpha1', kind, metadata: { name: 'conn', ...(namespace ? { namespace } : {}) }, spec: { secretTargetRef: [{ parameter: 'host', name: 's', key: 'uri' }] } });

function findings(...objects: object[]): string[] {
  return validateManifests(objects.map((object, i) => ({ object: object as never, source: `f${i}.yaml` }))).violations
    .filter((v) => v.rule.id === 'TRIGGER-AUTH-EXISTS').map((v) => `${v.manifest.object.kind} ${v.field}: ${v.message}`);
}

test.each(['ScaledObject', 'ScaledJob'] as const)('a %s trigger naming a TriggerAuthentication that is not in the run', (kind) => {
  expect(findings(scaler(kind, { name: 'conn' }))).toEqual([`${kind} spec.triggers[0].authenticationRef.name: no TriggerAuthentication 'conn' in namespace 'ml' in this run`]);
  expect(findings(scaler(kind, { name: 'conn' }), auth('TriggerAuthentication', 'ml'))).toEqual([]);
});

test('a TriggerAuthentication of another namespace does not count; a ClusterTriggerAuthentication is cluster-wide', () => {
  expect(findings(scaler('ScaledObject', { name: 'conn' }), auth('TriggerAuthentication', 'other'))).toHaveLength(1);
  expect(findings(scaler('ScaledObject', { name: 'conn', kind: 'ClusterTriggerAuthentication' }), auth('ClusterTriggerAuthentication'))).toEqual([]);
  expect(findings(scaler('ScaledObject', { name: 'conn', kind: 'ClusterTriggerAuthentication' }))).toEqual(["ScaledObject spec.triggers[0].authenticationRef.name: no ClusterTriggerAuthentication 'conn' in this run"]);
});

test('suppressed with the annotation and a reason, for a TriggerAuthentication managed elsewhere', () => {
  const managed = scaler('ScaledObject', { name: 'conn' });
  (managed.metadata as Record<string, unknown>).annotations = { 'ignore.policy.cdk8s-ml.io/TRIGGER-AUTH-EXISTS': 'the platform team applies it' };
  expect(findings(managed)).toEqual([]);
});
