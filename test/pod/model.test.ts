import { ModelServing, type ModelServingProps } from '../../lib';
import { only, synthConstruct, testChart } from '../helpers';

const requiredProps: ModelServingProps = { name: 'server', image: 'registry.example.com/ml/server:1.0.0' };

function pod(props: Partial<ModelServingProps>) {
  return only(synthConstruct((s, id, p: ModelServingProps) => new ModelServing(s, id, p), { ...requiredProps, ...props }), 'Deployment').spec.template.spec;
}

function build(props: Partial<ModelServingProps>) {
  return new ModelServing(testChart(), 'W', { ...requiredProps, ...props } as ModelServingProps);
}

describe('model artifacts', () => {
  test('an s3 model is synced by an init container into a volume the server mounts read-only', () => {
    const spec = pod({ model: { uri: 's3://models/fraud/v3/', sizeLimit: '20Gi' } });
    const init = spec.initContainers[0];
    expect(init).toMatchObject({ name: 'model-download', image: 'docker.io/amazon/aws-cli:2.17.0', command: ['aws', 's3', 'sync', '--only-show-errors', 's3://models/fraud/v3/', '/models'] });
    expect(init.volumeMounts).toContainEqual({ name: 'model', mountPath: '/models' });
    expect(spec.volumes).toContainEqual({ name: 'model', emptyDir: { sizeLimit: '20Gi' } });
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'model', mountPath: '/models', readOnly: true });
  });

  test('the downloader is hardened and requests resources like any container', () => {
    const init = pod({ model: { uri: 's3://models/fraud' } }).initContainers[0];
    expect(init.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(init.resources.requests).toEqual({ cpu: '250m', memory: '512Mi' });
    expect(init.env).toContainEqual({ name: 'HOME', value: '/tmp' });
  });

  test('s3 and hf credentials come from the existing Secret as environment variables', () => {
    expect(pod({ model: { uri: 's3://models/fraud', credentialsSecret: 's3-creds' } }).initContainers[0].envFrom).toEqual([{ secretRef: { name: 's3-creds' } }]);
    expect(pod({ model: { uri: 'hf://org/model', credentialsSecret: 'huggingface' } }).initContainers[0].envFrom).toEqual([{ secretRef: { name: 'huggingface' } }]);
  });

  test('gs credentials are a service account key file from the existing Secret', () => {
    const spec = pod({ model: { uri: 'gs://models/fraud', credentialsSecret: 'gcp-sa' } });
    const init = spec.initContainers[0];
    expect(init.command).toEqual(['gcloud', 'storage', 'rsync', '--recursive', 'gs://models/fraud', '/models']);
    expect(init.env).toContainEqual({ name: 'CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE', value: '/var/run/secrets/model-credentials/key.json' });
    expect(init.env).toContainEqual({ name: 'CLOUDSDK_CONFIG', value: '/tmp/gcloud' });
    expect(init.volumeMounts).toContainEqual({ name: 'model-credentials', mountPath: '/var/run/secrets/model-credentials', readOnly: true });
    expect(spec.volumes).toContainEqual({ name: 'model-credentials', secret: { secretName: 'gcp-sa' } });
  });

  test("an hf model is downloaded with the workload image's huggingface_hub, at a revision, without claiming a GPU", () => {
    const init = pod({ model: { uri: 'hf://meta-llama/Meta-Llama-3-8B-Instruct@main' } }).initContainers[0];
    expect(init.image).toBe(requiredProps.image);
    expect(init.command.slice(0, 2)).toEqual(['python3', '-c']);
    expect(init.command[2]).toContain('snapshot_download(sys.argv[1], revision=sys.argv[2] or None, local_dir=sys.argv[3])');
    expect(init.command.slice(3)).toEqual(['meta-llama/Meta-Llama-3-8B-Instruct', 'main', '/models']);
    expect(init.env).toContainEqual({ name: 'NVIDIA_VISIBLE_DEVICES', value: 'void' });
  });

  test('serviceAccountName gives the pods a cloud identity to read the bucket with', () => {
    expect(pod({ serviceAccountName: 'model-reader', model: { uri: 's3://m/x' } }).serviceAccountName).toBe('model-reader');
  });

  test('the download reserves the disk it fills', () => {
    expect(pod({ model: { uri: 's3://m/x', sizeLimit: '20Gi' } }).initContainers[0].resources.requests['ephemeral-storage']).toBe('20Gi');
  });

  test.each([
    ['a parent directory', '/a/../b'],
    ['the root', '/'],
    ['a trailing slash', '/tmp/'],
  ])('fails on a writable path with %s', (_what, p) => {
    expect(() => build({ writablePaths: [p] })).toThrow(`writablePaths[0]: '${p}' is not a plain absolute path below '/'`);
  });

  test('fails when a GPU given only as a request meets a writable /dev/shm', () => {
    expect(() => build({ resources: { requests: { 'nvidia.com/gpu': 1 } }, writablePaths: ['/dev/shm'] })).toThrow("writablePaths[0]: '/dev/shm' is already a volume of the pod");
  });

  test('fails when the model would be mounted over a pod volume', () => {
    expect(() => build({ model: { uri: 's3://m/x', mountPath: '/tmp' } })).toThrow("model.mountPath: '/tmp' is already a volume of the pod; mount the model elsewhere, e.g. /models");
  });

  test('fails on a pvc path that climbs out of the volume', () => {
    expect(() => build({ model: { uri: 'pvc://store/../etc' } })).toThrow("model.uri: 'pvc://store/../etc' climbs out of the volume with '..' or '.'; give the path inside the claim");
  });

  test('downloaderImage and mountPath are used as given', () => {
    const spec = pod({ model: { uri: 's3://m/x', downloaderImage: 'registry.example.com/tools/s5cmd:2.2.2', mountPath: '/weights' } });
    expect(spec.initContainers[0].image).toBe('registry.example.com/tools/s5cmd:2.2.2');
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'model', mountPath: '/weights', readOnly: true });
  });

  test('a pvc model is mounted read-only from the claim, at its path, with no download', () => {
    const spec = pod({ model: { uri: 'pvc://model-store/fraud/v3' } });
    expect(spec.initContainers).toBeUndefined();
    expect(spec.volumes).toContainEqual({ name: 'model', persistentVolumeClaim: { claimName: 'model-store', readOnly: true } });
    expect(spec.containers[0].volumeMounts).toContainEqual({ name: 'model', mountPath: '/models', readOnly: true, subPath: 'fraud/v3' });
  });

  test('the download time is added to the progress deadline', () => {
    const deadline = (props: Partial<ModelServingProps>) => build(props).config.progressDeadlineSeconds;
    expect(deadline({ model: { uri: 's3://m/x' } })).toBe(600 + 300 + 1800);
    expect(deadline({ model: { uri: 's3://m/x', downloadTimeoutSeconds: 600 } })).toBe(600 + 300 + 600);
    expect(deadline({ model: { uri: 'pvc://store/x' } })).toBe(900);
  });

  test('writablePaths become writable emptyDir volumes', () => {
    const spec = pod({ writablePaths: ['/home/app/.cache', '/var/cache/triton'] });
    expect(spec.containers[0].volumeMounts).toEqual(expect.arrayContaining([
      { name: 'writable-0', mountPath: '/home/app/.cache' },
      { name: 'writable-1', mountPath: '/var/cache/triton' },
    ]));
    expect(spec.volumes).toEqual(expect.arrayContaining([{ name: 'writable-0', emptyDir: {} }, { name: 'writable-1', emptyDir: {} }]));
  });

  test('fails on a URI of another scheme', () => {
    expect(() => build({ model: { uri: 'http://models.example.com/x' } })).toThrow(
      "model.uri: 'http://models.example.com/x' is not a model URI; use s3://bucket/path, gs://bucket/path, hf://org/repo[@revision] or pvc://claim/path",
    );
  });

  test('fails on download settings for a pvc model', () => {
    expect(() => build({ model: { uri: 'pvc://store/x', credentialsSecret: 's' } })).toThrow(
      "model.credentialsSecret: a pvc:// model is mounted, not downloaded, so 'credentialsSecret' does not apply; remove it",
    );
  });

  test('fails on an unpinned downloader image', () => {
    expect(() => build({ model: { uri: 's3://m/x', downloaderImage: 'amazon/aws-cli' } })).toThrow("model.downloaderImage: 'amazon/aws-cli' has no tag");
  });

  test('fails when a writable path is already a volume', () => {
    expect(() => build({ writablePaths: ['/tmp'] })).toThrow("writablePaths[0]: '/tmp' is already a volume of the pod");
  });
});
