import { ModelServing, type ModelServingProps } from '../../lib';
import { only, synthConstruct, testChart } from '../helpers';

const requiredProps: ModelServingProps = { name: 'fraud-detector', namespace: 'ml-serving', image: 'registry.example.com/ml/fraud:1.4.2' };

function synth(props: Partial<ModelServingProps> = {}) {
  return synthConstruct((s, id, p: ModelServingProps) => new ModelServing(s, id, p), { ...requiredProps, ...props });
}

const pod = (props: Partial<ModelServingProps> = {}) => only(synth(props), 'Deployment').spec.template.spec;

describe('ServiceAccount', () => {
  test('each workload runs as its own ServiceAccount, without an API token', () => {
    const objects = synth();
    const account = only(objects, 'ServiceAccount');
    expect(account.metadata.name).toBe('fraud-detector');
    expect(account.metadata.namespace).toBe('ml-serving');
    expect(account.automountServiceAccountToken).toBe(false);
    expect(pod().serviceAccountName).toBe('fraud-detector');
    expect(pod().automountServiceAccountToken).toBe(false);
  });

  test('is applied before the workload (sync wave -1)', () => {
    expect(only(synth(), 'ServiceAccount').metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
  });

  test('takes annotations for a cloud identity', () => {
    const account = only(synth({ serviceAccount: { annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123:role/fraud' } } }), 'ServiceAccount');
    expect(account.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1', 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123:role/fraud' });
  });

  test('automountToken mounts the token, on the account and the pods', () => {
    expect(only(synth({ serviceAccount: { automountToken: true } }), 'ServiceAccount').automountServiceAccountToken).toBe(true);
    expect(pod({ serviceAccount: { automountToken: true } }).automountServiceAccountToken).toBe(true);
  });

  test('serviceAccountName uses an existing account and creates none', () => {
    const objects = synth({ serviceAccountName: 'model-reader' });
    expect(objects.some((o) => o.kind === 'ServiceAccount')).toBe(false);
    expect(only(objects, 'Deployment').spec.template.spec.serviceAccountName).toBe('model-reader');
  });

  test('fails when serviceAccount and serviceAccountName are both given', () => {
    expect(() => new ModelServing(testChart(), 'Workload', { ...requiredProps, serviceAccountName: 'x', serviceAccount: { automountToken: true } })).toThrow(
      "serviceAccount: 'serviceAccount' describes the workload's own ServiceAccount, and 'serviceAccountName' (x) uses an existing one instead; keep one of them",
    );
  });
});
