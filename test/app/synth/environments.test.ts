import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { validateManifests } from '../../../lib';
import { filesBelow, useTempProject } from '../../helpers';

const SERVER = [
  'kind: ModelServing',
  'name: fraud-detector',
  'namespace: ml-serving',
  'image: registry.example.com/ml/fraud-detector:1.4.2',
  'service: { port: 80 }',
  'autoscaling: { minReplicas: 1, maxReplicas: 10 }',
  '',
].join('\n');

const WORKER = [
  'kind: MlPipeline',
  'name: feature-extractor',
  'namespace: ml-pipelines',
  'image: registry.example.com/ml/feature-extractor:2.0.1',
  '',
].join('\n');

const ENVIRONMENTS = [
  'argocd:',
  '  repoURL: https://github.com/example/gitops.git',
  '  targetRevision: main',
  'environments:',
  '  dev:',
  '    namespace: ml-dev',
  '    overrides:',
  '      autoscaling: { maxReplicas: 1 }',
  '  staging:',
  '    cluster: https://staging.k8s.example.com',
  '  prod:',
  '    cluster: prod-eu',
  '',
].join('\n');

const project = useTempProject('cdk8s-ml-env-');
const { write, synth } = project;

function read(file: string): string {
  return fs.readFileSync(path.join(project.root, file), 'utf8');
}

function objects(file: string): any[] {
  return parseAllDocuments(read(file)).map((d) => d.toJS());
}

function snapshot(): Record<string, string> {
  return Object.fromEntries(filesBelow(path.join(project.root, 'dist')).map((f) => [f, read(`dist/${f}`)]));
}

describe('environments', () => {
  beforeEach(() => {
    write('environments.yaml', ENVIRONMENTS);
    write('workloads/server.yaml', SERVER);
    write('workloads/worker.yaml', WORKER);
  });

  test('writes a folder per environment, each with its kustomization, and the Argo CD applications', () => {
    const { code, stdout } = synth();
    expect(code).toBe(0);
    expect(filesBelow(path.join(project.root, 'dist'))).toEqual([
      'argocd/cdk8s-ml-dev.k8s.yaml', 'argocd/cdk8s-ml-prod.k8s.yaml', 'argocd/cdk8s-ml-staging.k8s.yaml', 'argocd/kustomization.yaml', 'argocd/kustomizeconfig.yaml',
      'dev/_namespaces.k8s.yaml', 'dev/kustomization.yaml', 'dev/kustomizeconfig.yaml', 'dev/ml-dev.feature-extractor.k8s.yaml', 'dev/ml-dev.fraud-detector.k8s.yaml',
      'prod/_namespaces.k8s.yaml', 'prod/kustomization.yaml', 'prod/kustomizeconfig.yaml', 'prod/ml-pipelines.feature-extractor.k8s.yaml', 'prod/ml-serving.fraud-detector.k8s.yaml',
      'staging/_namespaces.k8s.yaml', 'staging/kustomization.yaml', 'staging/kustomizeconfig.yaml', 'staging/ml-pipelines.feature-extractor.k8s.yaml', 'staging/ml-serving.fraud-detector.k8s.yaml',
    ]);
    expect(stdout).toContain('cdk8s-ml: 2 workload(s) in 3 environment(s) -> dist/: 20 written, 0 unchanged, 0 removed');
    expect(stdout).toMatch(/^ENVIRONMENT +WORKLOAD +KIND/m);
    expect(stdout).toMatch(/^dev +fraud-detector +ModelServing +ml-dev .* 1-1 \(cpu 80%\)$/m);
    expect(stdout).toMatch(/^prod +fraud-detector +ModelServing +ml-serving .* 1-10 \(cpu 80%\)$/m);
  });

  test('each kustomization.yaml lists exactly the manifests of its folder, so kubectl apply -k applies them all', () => {
    synth();
    for (const folder of ['dev', 'staging', 'prod', 'argocd']) {
      const [kustomization] = objects(`dist/${folder}/kustomization.yaml`);
      expect(kustomization).toEqual({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: filesBelow(path.join(project.root, 'dist', folder)).filter((f) => f.endsWith('.k8s.yaml')),
        configurations: ['kustomizeconfig.yaml'],
      });
      // Kustomize's name references for the custom resources' fields: no apiVersion or kind (Kustomize reads it strictly).
      const [config] = objects(`dist/${folder}/kustomizeconfig.yaml`) as unknown as { nameReference: { kind: string }[] }[];
      expect(Object.keys(config)).toEqual(['nameReference']);
      expect(config.nameReference.map((r) => r.kind)).toEqual(['Deployment', 'TriggerAuthentication']);
    }
  });

  test('an environment gets a Namespace for each namespace it uses, enforcing Pod Security restricted, never pruned', () => {
    synth();
    const namespaces = objects('dist/prod/_namespaces.k8s.yaml');
    expect(namespaces.map((n) => n.metadata.name)).toEqual(['ml-pipelines', 'ml-serving']);
    expect(namespaces[0].metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    expect(namespaces[0].metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false', 'argocd.argoproj.io/sync-wave': '-2' });
    expect(objects('dist/dev/_namespaces.k8s.yaml').map((n) => n.metadata.name)).toEqual(['ml-dev']);
  });

  test('createNamespaces: false writes none', () => {
    write('environments.yaml', `createNamespaces: false\n${ENVIRONMENTS}`);
    synth();
    expect(fs.existsSync(path.join(project.root, 'dist/prod/_namespaces.k8s.yaml'))).toBe(false);
  });

  test('an Application per environment syncs its folder automatically, with prune, selfHeal and CreateNamespace', () => {
    synth();
    const [app] = objects('dist/argocd/cdk8s-ml-prod.k8s.yaml');
    expect(app).toMatchObject({ apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'cdk8s-ml-prod', namespace: 'argocd' } });
    expect(app.spec).toEqual({
      project: 'default',
      source: { repoURL: 'https://github.com/example/gitops.git', targetRevision: 'main', path: 'dist/prod', directory: { include: '*.k8s.yaml', recurse: false } },
      destination: { name: 'prod-eu' },
      syncPolicy: {
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true', 'PruneLast=true'],
        retry: { limit: 8, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
      },
    });
    // The retries span long enough for KEDA or the Prometheus Operator to arrive from another Application.
    const { limit, backoff } = app.spec.syncPolicy.retry;
    const waits = Array.from({ length: limit }, (_, i) => Math.min(10 * 2 ** i, 300));
    expect(waits.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(15 * 60);
    expect([backoff.duration, backoff.maxDuration]).toEqual(['10s', '5m']);
    expect(objects('dist/argocd/cdk8s-ml-dev.k8s.yaml')[0].spec.destination).toEqual({ server: 'https://kubernetes.default.svc', namespace: 'ml-dev' });
    expect(objects('dist/argocd/cdk8s-ml-staging.k8s.yaml')[0].spec.destination).toEqual({ server: 'https://staging.k8s.example.com' });
  });

  test('applicationSet: one ApplicationSet with a list generator instead', () => {
    write('environments.yaml', ENVIRONMENTS.replace('  targetRevision: main\n', '  targetRevision: main\n  applicationSet: true\n  path: deploy/dist\n').replace('prod-eu', 'https://prod.k8s.example.com'));
    expect(synth().code).toBe(0);
    expect(filesBelow(path.join(project.root, 'dist/argocd'))).toEqual(['cdk8s-ml.k8s.yaml', 'kustomization.yaml', 'kustomizeconfig.yaml']);
    const [set] = objects('dist/argocd/cdk8s-ml.k8s.yaml');
    expect(set.kind).toBe('ApplicationSet');
    expect(set.spec.generators).toEqual([{ list: { elements: [
      { environment: 'dev', cluster: 'https://kubernetes.default.svc', namespace: 'ml-dev' },
      { environment: 'staging', cluster: 'https://staging.k8s.example.com', namespace: '' },
      { environment: 'prod', cluster: 'https://prod.k8s.example.com', namespace: '' },
    ] } }]);
    expect(set.spec.template.metadata.name).toBe('cdk8s-ml-{{.environment}}');
    expect(set.spec.template.spec.source.path).toBe('deploy/dist/{{.environment}}');
    expect(set.spec.template.spec.destination).toEqual({ server: '{{.cluster}}', namespace: '{{.namespace}}' });
  });

  test('appProject: an AppProject confines the Applications to the repository, the clusters and namespaces, and the kinds the workloads use', () => {
    write('environments.yaml', ENVIRONMENTS.replace('  targetRevision: main\n', '  targetRevision: main\n  appProject: true\n'));
    expect(synth().code).toBe(0);
    const [project] = objects('dist/argocd/project.cdk8s-ml.k8s.yaml');
    expect(project.kind).toBe('AppProject');
    expect(project.metadata).toMatchObject({ name: 'cdk8s-ml', namespace: 'argocd', annotations: { 'argocd.argoproj.io/sync-wave': '-1' } });
    expect(project.spec.sourceRepos).toEqual(['https://github.com/example/gitops.git']);
    expect(project.spec.destinations).toEqual([
      { server: 'https://kubernetes.default.svc', namespace: 'ml-dev' },
      { server: 'https://staging.k8s.example.com', namespace: 'ml-pipelines' },
      { server: 'https://staging.k8s.example.com', namespace: 'ml-serving' },
      { name: 'prod-eu', namespace: 'ml-pipelines' },
      { name: 'prod-eu', namespace: 'ml-serving' },
    ]);
    // Namespaces are the only cluster-scoped kind synth writes; the namespaced ones are those the workloads produce.
    expect(project.spec.clusterResourceWhitelist).toEqual([{ group: '', kind: 'Namespace' }]);
    expect(project.spec.namespaceResourceWhitelist).toEqual([
      { group: '', kind: 'Service' }, { group: '', kind: 'ServiceAccount' }, { group: 'apps', kind: 'Deployment' },
      { group: 'autoscaling', kind: 'HorizontalPodAutoscaler' }, { group: 'networking.k8s.io', kind: 'NetworkPolicy' }, { group: 'policy', kind: 'PodDisruptionBudget' },
    ]);
    expect(project.spec.orphanedResources).toEqual({ warn: true });
    for (const env of ['dev', 'staging', 'prod']) expect(objects(`dist/argocd/cdk8s-ml-${env}.k8s.yaml`)[0].spec.project).toBe('cdk8s-ml');
    expect(validateManifests([{ object: project, source: 'x' }]).violations).toEqual([]);
    // Without createNamespaces, no cluster-scoped kind at all.
    write('environments.yaml', ENVIRONMENTS.replace('  targetRevision: main\n', '  targetRevision: main\n  appProject: true\n') + 'createNamespaces: false\n');
    expect(synth().code).toBe(0);
    expect(objects('dist/argocd/project.cdk8s-ml.k8s.yaml')[0].spec.clusterResourceWhitelist).toEqual([]);
  });

  test('appProject with project is an error naming the key', () => {
    write('environments.yaml', ENVIRONMENTS.replace('  targetRevision: main\n', '  targetRevision: main\n  appProject: true\n  project: team-a\n'));
    const { code, stderr } = synth();
    expect(code).toBe(1);
    expect(stderr).toContain("argocd.project: 'project' names an existing Argo CD project, and appProject: true writes one (named after 'name') for the Applications; keep one of them");
  });

  test('the Argo CD objects pass schema validation', () => {
    synth();
    const argo = ['dev', 'staging', 'prod'].flatMap((e) => objects(`dist/argocd/cdk8s-ml-${e}.k8s.yaml`));
    expect(validateManifests(argo.map((object) => ({ object, source: 'x' }))).violations).toEqual([]);
  });

  test('without an argocd section, no Argo CD objects', () => {
    write('environments.yaml', ENVIRONMENTS.replace(/^argocd:\n(  .*\n)+/, ''));
    expect(synth().code).toBe(0);
    expect(fs.existsSync(path.join(project.root, 'dist/argocd'))).toBe(false);
  });

  test('fails with the environment, file and field of an invalid override', () => {
    write('workloads/server.yaml', `${SERVER}environments:\n  prod:\n    autoscaling: { maxReplicas: 0 }\n`);
    const { code, stderr } = synth();
    expect(code).toBe(1);
    expect(stderr).toContain('workloads/server.yaml:9: environments.prod.autoscaling.maxReplicas: must be >= 1, got 0');
    expect(fs.existsSync(path.join(project.root, 'dist'))).toBe(false);
  });

  test('fails naming the environment when the workload file is valid alone but not with an override', () => {
    write('workloads/server.yaml', `${SERVER}environments:\n  staging:\n    autoscaling: { minReplicas: 20 }\n`);
    expect(synth().stderr).toContain(
      "workloads/server.yaml:6: autoscaling.maxReplicas: 'maxReplicas' (10) must be >= 'minReplicas' (20); raise maxReplicas or lower minReplicas (environment staging)",
    );
  });

  test('a problem of the workload file in some environments only names them; in all, it is reported once', () => {
    write('environments.yaml', ENVIRONMENTS.replace('      autoscaling: { maxReplicas: 1 }\n', '      autoscaling: { maxReplicas: 1 }\n    defaults: { terminationGracePeriodSeconds: 20 }\n  qa:\n    defaults: { terminationGracePeriodSeconds: 20 }\n'));
    write('workloads/server.yaml', `${SERVER}preStopSleepSeconds: 30\n`);
    write('workloads/worker.yaml', `${WORKER}port: 0\n`);
    const { stderr } = synth();
    expect(stderr).toContain("workloads/server.yaml:7: preStopSleepSeconds: 'preStopSleepSeconds' (30) must be less than 'terminationGracePeriodSeconds' (20), or the server is killed before it can shut down; lower preStopSleepSeconds or raise terminationGracePeriodSeconds (environment dev, qa)");
    expect(stderr.match(/workloads\/worker\.yaml:5: port: must be >= 1, got 0$/gm)).toHaveLength(1);
  });

  test('a problem in an environment default names environments.yaml and the workloads it concerns', () => {
    write('environments.yaml', ENVIRONMENTS.replace('  prod:\n', '  prod:\n    defaults:\n      terminationGracePeriodSeconds: 5\n'));
    const { stderr } = synth();
    expect(stderr).toContain("environments.yaml:13: environments.prod.defaults.terminationGracePeriodSeconds: 'preStopSleepSeconds' (10, the default) must be less than 'terminationGracePeriodSeconds' (5), or the server is killed before it can shut down; lower preStopSleepSeconds or raise terminationGracePeriodSeconds (workload fraud-detector)");
  });

  test('fails when an override names an environment that does not exist, or changes the name', () => {
    write('workloads/server.yaml', `${SERVER}environments:\n  prd: { replicas: 2 }\n`);
    write('workloads/worker.yaml', `${WORKER}environments:\n  dev: { name: other }\n`);
    const { stderr } = synth();
    expect(stderr).toContain("workloads/server.yaml:8: environments.prd: 'prd' is not an environment of environments.yaml; did you mean 'prod'?");
    expect(stderr).toContain("workloads/worker.yaml:6: environments.dev.name: 'name' is the same in every environment and cannot be overridden");
  });

  test('fails when two workloads meet in one namespace of an environment', () => {
    write('workloads/other.yaml', SERVER.replace('ml-serving', 'ml-other'));
    const { stderr } = synth();
    expect(stderr).toMatch(/workloads\/server\.yaml:2: name: 'fraud-detector' is already defined in namespace 'ml-dev' at workloads\/other\.yaml:2; workload names must be unique per namespace \(environment dev\)/);
  });

  test('a workload file with overrides needs an environments file', () => {
    fs.rmSync(path.join(project.root, 'environments.yaml'));
    write('workloads/server.yaml', `${SERVER}environments:\n  prod: { replicas: 2 }\n`);
    expect(synth().stderr).toContain("workloads/server.yaml:7: environments: overrides need an environments file, and there is none (environments.yaml); create it, or remove 'environments'");
  });

  test('a write that fails part way removes the files and folders this run created, and keeps the rest', () => {
    synth();
    write('workloads/new.yaml', WORKER.replace('feature-extractor', 'new-worker'));
    write('environments.yaml', `${ENVIRONMENTS}  qa: {}\n`);
    const before = snapshot();
    const real = fs.writeFileSync;
    let calls = 0;
    // The module object itself: the namespace import above is read-only.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const spy = jest.spyOn(require('node:fs') as typeof fs, 'writeFileSync').mockImplementation((...args: Parameters<typeof fs.writeFileSync>) => {
      if (++calls === 6) {
        real(args[0], 'a piece of');
        throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
      }
      real(...args);
    });
    try {
      const { code, stderr } = synth();
      expect(code).toBe(1);
      expect(stderr).toMatch(/cannot write .*: ENOSPC: no space left on device/);
    } finally {
      spy.mockRestore();
    }
    expect(snapshot()).toEqual(before);
    expect(fs.existsSync(path.join(project.root, 'dist/qa'))).toBe(false);
    expect(filesBelow(path.join(project.root, 'dist')).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  test('fails, writing nothing, when a file is in the way of an environment folder', () => {
    write('dist/prod', 'not a folder');
    const { code, stderr } = synth();
    expect(code).toBe(1);
    expect(stderr).toContain('cdk8s-ml: cannot write dist/prod: a file is in the way of a folder synth writes');
    expect(filesBelow(path.join(project.root, 'dist'))).toEqual(['prod']);
  });

  test('re-synth is byte-identical', () => {
    synth();
    const first = snapshot();
    const { stdout } = synth();
    expect(snapshot()).toEqual(first);
    expect(stdout).toContain('0 written, 20 unchanged, 0 removed');
  });

  test('adding a workload adds its files and one line per kustomization, and changes nothing else', () => {
    synth();
    const before = snapshot();
    write('workloads/new.yaml', WORKER.replace('feature-extractor', 'new-worker'));
    synth();
    const after = snapshot();
    const changed = Object.keys(after).filter((f) => before[f] !== after[f]);
    expect(changed.filter((f) => !f.endsWith('kustomization.yaml'))).toEqual(['dev/ml-dev.new-worker.k8s.yaml', 'prod/ml-pipelines.new-worker.k8s.yaml', 'staging/ml-pipelines.new-worker.k8s.yaml']);
    for (const env of ['dev', 'staging', 'prod']) {
      const [old, now] = [before[`${env}/kustomization.yaml`].split('\n'), after[`${env}/kustomization.yaml`].split('\n')];
      expect(now.filter((line) => !old.includes(line))).toEqual([expect.stringContaining('new-worker.k8s.yaml')]);
      expect(old.filter((line) => !now.includes(line))).toEqual([]);
    }
    expect(Object.keys(before).filter((f) => !(f in after))).toEqual([]);
  });

  test('an environment removed from the file takes its folder with it; files synth did not write stay', () => {
    synth();
    write('dist/prod/notes.txt', 'kept');
    write('environments.yaml', ENVIRONMENTS.replace(/  prod:\n    cluster: prod-eu\n/, ''));
    const { stdout } = synth();
    expect(stdout).toContain('6 removed');
    expect(filesBelow(path.join(project.root, 'dist/prod'))).toEqual(['notes.txt']);
  });

  test('an environments file turns the single folder into environment folders, and removing it turns them back', () => {
    fs.rmSync(path.join(project.root, 'environments.yaml'));
    synth();
    expect(filesBelow(path.join(project.root, 'dist'))).toEqual(['ml-pipelines.feature-extractor.k8s.yaml', 'ml-serving.fraud-detector.k8s.yaml']);
    write('environments.yaml', ENVIRONMENTS);
    synth();
    expect(filesBelow(path.join(project.root, 'dist')).filter((f) => !f.includes('/'))).toEqual([]);
    fs.rmSync(path.join(project.root, 'environments.yaml'));
    synth();
    expect(filesBelow(path.join(project.root, 'dist'))).toEqual(['ml-pipelines.feature-extractor.k8s.yaml', 'ml-serving.fraud-detector.k8s.yaml']);
  });

  test('CDK8S_ML_ENVIRONMENTS names another file, or none', () => {
    fs.renameSync(path.join(project.root, 'environments.yaml'), path.join(project.root, 'envs.yaml'));
    expect(synth({ CDK8S_ML_ENVIRONMENTS: 'envs.yaml' }).code).toBe(0);
    expect(fs.existsSync(path.join(project.root, 'dist/prod'))).toBe(true);
    fs.renameSync(path.join(project.root, 'envs.yaml'), path.join(project.root, 'environments.yaml'));
    expect(synth().code).toBe(0);
    // What the environments file wrote (folders, kustomizations, Namespaces, Argo CD objects) goes too.
    expect(synth({ CDK8S_ML_ENVIRONMENTS: 'none' }).code).toBe(0);
    expect(filesBelow(path.join(project.root, 'dist'))).toEqual(['ml-pipelines.feature-extractor.k8s.yaml', 'ml-serving.fraud-detector.k8s.yaml']);
  });

  test('with CDK8S_ML_ENVIRONMENTS=none, overrides in a workload file are an error that says so', () => {
    write('workloads/server.yaml', `${SERVER}environments:\n  prod: { replicas: 2 }\n`);
    expect(synth({ CDK8S_ML_ENVIRONMENTS: 'none' }).stderr).toContain(
      "workloads/server.yaml:7: environments: overrides need an environments file, and CDK8S_ML_ENVIRONMENTS is none; create it, or remove 'environments'",
    );
  });

  test('a misspelt environment in an override does not hide the other problems of the file', () => {
    write('workloads/server.yaml', `${SERVER}port: 0\nenvironments:\n  stagin: { replicas: 2 }\n`);
    const { stderr } = synth();
    expect(stderr).toContain("workloads/server.yaml:9: environments.stagin: 'stagin' is not an environment of environments.yaml; did you mean 'staging'?");
    expect(stderr).toContain('workloads/server.yaml:7: port: must be >= 1, got 0');
  });

  test('an environment-wide autoscaling setting passes over a workload with a fixed replica count', () => {
    write('workloads/worker.yaml', `${WORKER}replicas: 3\n`);
    const { code, stdout } = synth();
    expect(code).toBe(0);
    expect(stdout).toMatch(/^dev +feature-extractor +MlPipeline +ml-dev .* 3 \(fixed\)$/m);
  });

  test('fails when the environments file is inside the workloads folder', () => {
    write('workloads/environments.yaml', ENVIRONMENTS);
    expect(synth({ CDK8S_ML_ENVIRONMENTS: 'workloads/environments.yaml' }).stderr).toContain(
      "cdk8s-ml: CDK8S_ML_ENVIRONMENTS: 'workloads/environments.yaml' is inside the workloads folder 'workloads', so it would be read as a workload file; keep it outside",
    );
  });

  test('fails when CDK8S_ML_ENVIRONMENTS names a missing file', () => {
    expect(synth({ CDK8S_ML_ENVIRONMENTS: 'nope.yaml' }).stderr).toContain(
      "cdk8s-ml: CDK8S_ML_ENVIRONMENTS: 'nope.yaml' is not a file; point it at your environments file, or set it to 'none' for one output folder (default 'environments.yaml', used when it exists)",
    );
  });

  test('fails with file and line for an invalid environments file, writing nothing', () => {
    write('environments.yaml', 'environments:\n  dev: { clster: x }\n');
    const { code, stderr } = synth();
    expect(code).toBe(1);
    expect(stderr).toContain("environments.yaml:2: environments.dev.clster: unknown key 'clster'; did you mean 'cluster'?");
    expect(fs.existsSync(path.join(project.root, 'dist'))).toBe(false);
  });

  test('each environment is validated on its own: the same names in two environments are no conflict', () => {
    write('environments.yaml', 'environments:\n  a: { cluster: https://a.example.com }\n  b: { cluster: https://b.example.com }\n');
    const { code, stdout } = synth();
    expect(code).toBe(0);
    expect(stdout).toMatch(/cdk8s-ml: \d+ object\(s\) checked: 0 policy violation\(s\), 0 suppressed/);
  });

  test('fails when two environments deploy a workload to the same namespace of the same cluster', () => {
    write('environments.yaml', 'environments:\n  a: { namespace: shared }\n  b: { namespace: shared }\n  c: {}\n  d: {}\n');
    const { code, stderr } = synth();
    expect(code).toBe(1);
    expect(stderr).toContain("environments.yaml:3: environments.b.namespace: environments 'a' and 'b' both deploy 2 workloads ('fraud-detector', ...) to namespace 'shared' of cluster https://kubernetes.default.svc; their Argo CD Applications would own the same objects and undo each other's changes: give each environment its own namespace or cluster");
    expect(stderr).toContain("environments.yaml:5: environments.d.cluster: environments 'c' and 'd' both deploy 2 workloads");
  });

  test('a run without environments removes what any environments file wrote, wherever it was', () => {
    fs.mkdirSync(path.join(project.root, 'config'));
    fs.renameSync(path.join(project.root, 'environments.yaml'), path.join(project.root, 'config/envs.yaml'));
    expect(synth({ CDK8S_ML_ENVIRONMENTS: 'config/envs.yaml' }).code).toBe(0);
    expect(synth().code).toBe(0);
    expect(filesBelow(path.join(project.root, 'dist'))).toEqual(['ml-pipelines.feature-extractor.k8s.yaml', 'ml-serving.fraud-detector.k8s.yaml']);
  });

  test('without an environments file, a workload with overrides still has its other problems reported', () => {
    fs.rmSync(path.join(project.root, 'environments.yaml'));
    write('workloads/server.yaml', `${SERVER}port: 0\nenvironments:\n  prod: { replicas: 2 }\n`);
    const { stderr } = synth();
    expect(stderr).toContain('workloads/server.yaml:7: port: must be >= 1, got 0');
    expect(stderr).toContain('workloads/server.yaml:8: environments: overrides need an environments file');
  });
});
