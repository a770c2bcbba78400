import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { validateManifests } from '../../../lib';
import { filesBelow, useTempProject } from '../../helpers';
import { type ClusterSecret, expandApplicationSet } from './argo-cd-expansion';

// Argo CD output for fleets: one Application per workload (granularity workload), found by the
// ApplicationSet's Git files generator in what synth writes, and fanned out over clusters.
const REPO = path.resolve(__dirname, '../../..');
const EXAMPLE_ENVIRONMENTS = fs.readFileSync(path.join(REPO, 'environments.yaml'), 'utf8');
const EXAMPLE_WORKLOADS = fs.readdirSync(path.join(REPO, 'workloads'));

const project = useTempProject('cdk8s-ml-appsets-');
const { write, synth } = project;

/** The example environments file with `lines` added to its argocd section. */
function environments(lines: string, edit: (text: string) => string = (t) => t): string {
  return edit(EXAMPLE_ENVIRONMENTS.replace('  targetRevision: main\n', `  targetRevision: main\n${lines}`));
}

function objects(file: string): any[] {
  return parseAllDocuments(fs.readFileSync(path.join(project.root, file), 'utf8')).map((d) => d.toJS());
}

function argoCdObjects(): any[] {
  return filesBelow(path.join(project.root, 'dist/argocd')).filter((f) => f.endsWith('.k8s.yaml')).flatMap((f) => objects(`dist/argocd/${f}`));
}

/** What the Argo CD objects of dist/argocd deploy: each generated or written Application. */
function applications(clusters: readonly ClusterSecret[] = []): any[] {
  return argoCdObjects()
    .flatMap((o) => (o.kind === 'ApplicationSet' ? expandApplicationSet(o, project.root, clusters) : o.kind === 'Application' ? [o] : []))
    .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
}

/** An Application as compared between the two forms: no server-set or defaulted fields. */
function comparable(app: any): unknown {
  return { name: app.metadata.name, namespace: app.metadata.namespace, labels: app.metadata.labels, finalizers: app.metadata.finalizers, spec: app.spec };
}

/** The workloads (namespace.name) a manifest file's objects belong to: their namespace, and their name up to a suffix (a TriggerAuthentication is `<workload>-<n>`). */
function workloadsIn(file: string, workloads: readonly string[]): string[] {
  return [...new Set(objects(file).map((o) => `${o.metadata.namespace}.${workloads.filter((w) => o.metadata.name === w || o.metadata.name.startsWith(`${w}-`)).sort((a, b) => b.length - a.length)[0]}`))];
}

function exampleWorkloadsPerEnvironment(): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const env of ['dev', 'staging', 'prod']) {
    result.set(env, filesBelow(path.join(project.root, 'dist', env)).filter((f) => f.endsWith('.k8s.yaml') && !f.startsWith('_')).map((f) => f.slice(0, -'.k8s.yaml'.length)));
  }
  return result;
}

describe('argocd.granularity: workload', () => {
  beforeEach(() => {
    for (const file of EXAMPLE_WORKLOADS) write(`workloads/${file}`, fs.readFileSync(path.join(REPO, 'workloads', file), 'utf8'));
  });

  test('one ApplicationSet per environment whose Git files generator gives exactly one Application per workload, syncing only its file', () => {
    write('environments.yaml', environments('  granularity: workload\n'));
    expect(synth().code).toBe(0);
    expect(filesBelow(path.join(project.root, 'dist/argocd'))).toEqual(['cdk8s-ml-dev.k8s.yaml', 'cdk8s-ml-prod.k8s.yaml', 'cdk8s-ml-staging.k8s.yaml', 'kustomization.yaml', 'kustomizeconfig.yaml']);
    const [set] = objects('dist/argocd/cdk8s-ml-prod.k8s.yaml');
    expect(set.kind).toBe('ApplicationSet');
    expect(set.spec.generators).toEqual([{ git: { repoURL: 'https://github.com/example/ml-platform-gitops.git', revision: 'main', files: [{ path: 'dist/prod/*.params.json' }] } }]);

    const apps = applications();
    const perEnvironment = exampleWorkloadsPerEnvironment();
    const names = [...new Set(perEnvironment.get('prod')!.map((stem) => stem.split('.')[1]))];
    const expected = [...perEnvironment].flatMap(([env, stems]) => [`cdk8s-ml-${env}-namespaces`, ...stems.map((s) => `cdk8s-ml-${env}-${s.replace('.', '-')}`)]);
    expect(apps.map((a) => a.metadata.name)).toEqual([...expected].sort());
    expect(perEnvironment.get('prod')).toHaveLength(5);
    for (const app of apps.filter((a) => !a.metadata.name.endsWith('-namespaces'))) {
      const { environment, workload, namespace } = { environment: app.metadata.labels['cdk8s-ml.io/environment'], workload: app.metadata.labels['cdk8s-ml.io/workload'], namespace: app.metadata.labels['cdk8s-ml.io/namespace'] };
      // Its source is its environment's folder, and of it only this workload's manifest.
      expect(app.spec.source.path).toBe(`dist/${environment}`);
      expect(app.spec.source.directory).toEqual({ include: `${namespace}.${workload}.k8s.yaml`, recurse: false });
      expect(workloadsIn(`${app.spec.source.path}/${app.spec.source.directory.include}`, names)).toEqual([`${namespace}.${workload}`]);
      expect(app.spec.destination.namespace).toBe(namespace);
      expect(app.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    }
    const prod = apps.find((a) => a.metadata.name === 'cdk8s-ml-prod-ml-serving-fraud-detector');
    expect(prod.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'cdk8s-ml', 'cdk8s-ml.io/environment': 'prod', 'cdk8s-ml.io/workload': 'fraud-detector', 'cdk8s-ml.io/namespace': 'ml-serving',
    });
    expect(prod.spec.destination).toEqual({ name: 'prod-eu-west-1', namespace: 'ml-serving' });
    // The environment's Namespaces have an Application of their own.
    const namespaces = apps.find((a) => a.metadata.name === 'cdk8s-ml-prod-namespaces');
    expect(namespaces.spec.source.directory.include).toBe('_namespaces.k8s.yaml');
    expect(namespaces.metadata.labels['cdk8s-ml.io/workload']).toBe('');
  });

  test('a workload\'s Application deletes the workload with it; its ApplicationSet is never pruned by Argo CD', () => {
    write('environments.yaml', environments('  granularity: workload\n'));
    expect(synth().code).toBe(0);
    const [set] = objects('dist/argocd/cdk8s-ml-prod.k8s.yaml');
    expect(set.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-options': 'Prune=false,Delete=false' });
    for (const app of applications()) expect(app.metadata.finalizers).toEqual(['resources-finalizer.argocd.argoproj.io']);
    // A namespace a workload's Application creates gets the Pod Security labels of the Namespaces file at once.
    expect(applications()[0].spec.syncPolicy.managedNamespaceMetadata).toEqual({ labels: {
      'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/audit': 'restricted', 'pod-security.kubernetes.io/warn': 'restricted',
    } });
  });

  test('two Applications of one name are an error at the file that makes the second', () => {
    write('environments.yaml', environments('  granularity: workload\n'));
    write('workloads/a.yaml', 'kind: MlPipeline\nname: serving-x\nnamespace: ml\nimage: registry.example.com/ml/x:1.0.0\n');
    write('workloads/b.yaml', 'kind: MlPipeline\nname: x\nnamespace: ml-serving\nimage: registry.example.com/ml/x:1.0.0\n');
    const { code, stderr } = synth();
    expect(code).toBe(1);
    expect(stderr).toContain("workloads/b.yaml:2: name: the Argo CD Application of workload 'x' of 'prod' would be named 'cdk8s-ml-prod-ml-serving-x', as the one of workload 'serving-x' of 'prod' is; rename the workload, its namespace or the environment");
  });

  test('applicationSet: false writes the same Applications, one file each', () => {
    write('environments.yaml', environments('  granularity: workload\n'));
    expect(synth().code).toBe(0);
    const generated = applications().map(comparable);
    write('environments.yaml', environments('  granularity: workload\n  applicationSet: false\n'));
    expect(synth().code).toBe(0);
    expect(argoCdObjects().every((o) => o.kind === 'Application')).toBe(true);
    expect(filesBelow(path.join(project.root, 'dist/argocd'))).toContain('cdk8s-ml-prod-ml-serving-fraud-detector.k8s.yaml');
    expect(applications().map(comparable)).toEqual(generated);
    expect(generated).toHaveLength(18);
  });

  test('adding a workload file adds its parameters file, and so its Application, without changing the ApplicationSets', () => {
    write('environments.yaml', environments('  granularity: workload\n'));
    expect(synth().code).toBe(0);
    const before = Object.fromEntries(filesBelow(path.join(project.root, 'dist/argocd')).map((f) => [f, fs.readFileSync(path.join(project.root, 'dist/argocd', f), 'utf8')]));
    const count = applications().length;
    write('workloads/ranker.yaml', 'kind: ModelServing\nname: ranker\nnamespace: ml-serving\nimage: registry.example.com/ml/ranker:1.0.0\nservice: { port: 80 }\nautoscaling: { minReplicas: 1, maxReplicas: 4 }\n');
    const { code, stdout } = synth();
    expect(code).toBe(0);
    expect(stdout).toContain('0 removed');
    expect(Object.fromEntries(filesBelow(path.join(project.root, 'dist/argocd')).map((f) => [f, fs.readFileSync(path.join(project.root, 'dist/argocd', f), 'utf8')]))).toEqual(before);
    expect(fs.existsSync(path.join(project.root, 'dist/prod/ml-serving.ranker.params.json'))).toBe(true);
    expect(applications().length).toBe(count + 3);
    // Removing it removes them again.
    fs.rmSync(path.join(project.root, 'workloads/ranker.yaml'));
    expect(synth().code).toBe(0);
    expect(fs.existsSync(path.join(project.root, 'dist/prod/ml-serving.ranker.params.json'))).toBe(false);
    expect(applications().length).toBe(count);
  });

  test('a parameters file is JSON headed by the workload file it comes from, which kubectl apply -k and the env Applications never read', () => {
    write('environments.yaml', environments('  granularity: workload\n'));
    expect(synth().code).toBe(0);
    const params = JSON.parse(fs.readFileSync(path.join(project.root, 'dist/prod/ml-serving.fraud-detector.params.json'), 'utf8'));
    expect(params).toEqual({
      '//': 'Generated by cdk8s-ml from "workloads/fraud-detector.yaml"; do not edit: change that file and run npm run synth.',
      application: 'cdk8s-ml-prod-ml-serving-fraud-detector', environment: 'prod', namespace: 'ml-serving', workload: 'fraud-detector', manifest: 'ml-serving.fraud-detector.k8s.yaml',
    });
    expect(objects('dist/prod/kustomization.yaml')[0].resources.every((r: string) => r.endsWith('.k8s.yaml'))).toBe(true);
  });

  test('a file synth did not write, named like a parameters file, is never replaced', () => {
    write('environments.yaml', environments('  granularity: workload\n'));
    write('dist/prod/ml-serving.fraud-detector.params.json', '{ "mine": true }\n');
    const { code, stderr } = synth();
    expect(code).toBe(1);
    expect(stderr).toContain('dist/prod/ml-serving.fraud-detector.params.json: a file that cdk8s-ml did not generate is in the way');
  });

  test('clusters: [a, b] gives two destinations per workload, named and labelled by cluster', () => {
    write('environments.yaml', environments('  granularity: workload\n', (t) => t.replace(/    cluster: prod-eu-west-1.*\n/, '    clusters: [prod-eu-west-1, prod-us-east-1]\n')));
    expect(synth().code).toBe(0);
    const [set] = objects('dist/argocd/cdk8s-ml-prod.k8s.yaml');
    expect(set.spec.generators[0].matrix.generators[1]).toEqual({ list: { elements: [{ name: 'prod-eu-west-1', nameNormalized: 'prod-eu-west-1' }, { name: 'prod-us-east-1', nameNormalized: 'prod-us-east-1' }] } });
    const prod = applications().filter((a) => a.metadata.labels['cdk8s-ml.io/environment'] === 'prod' && a.metadata.labels['cdk8s-ml.io/workload'] === 'fraud-detector');
    expect(prod.map((a) => [a.metadata.name, a.spec.destination, a.metadata.labels['cdk8s-ml.io/cluster']])).toEqual([
      ['cdk8s-ml-prod-ml-serving-fraud-detector-prod-eu-west-1', { name: 'prod-eu-west-1', namespace: 'ml-serving' }, 'prod-eu-west-1'],
      ['cdk8s-ml-prod-ml-serving-fraud-detector-prod-us-east-1', { name: 'prod-us-east-1', namespace: 'ml-serving' }, 'prod-us-east-1'],
    ]);
    const generated = applications().map(comparable);
    write('environments.yaml', environments('  granularity: workload\n  applicationSet: false\n', (t) => t.replace(/    cluster: prod-eu-west-1.*\n/, '    clusters: [prod-eu-west-1, prod-us-east-1]\n')));
    expect(synth().code).toBe(0);
    expect(applications().map(comparable)).toEqual(generated);
  });

  test('clusterSelector gives a cluster generator with that selector, crossed with the workloads', () => {
    write('environments.yaml', environments('  granularity: workload\n', (t) => t.replace(/    cluster: prod-eu-west-1.*\n/, '    clusterSelector: { matchLabels: { env: prod } }\n')));
    expect(synth().code).toBe(0);
    const [set] = objects('dist/argocd/cdk8s-ml-prod.k8s.yaml');
    expect(set.spec.generators[0].matrix.generators[1]).toEqual({ clusters: { selector: { matchLabels: { env: 'prod' } } } });
    expect(set.spec.template.spec.destination).toEqual({ server: '{{.server}}', namespace: '{{.namespace}}' });
    const clusters = [
      { name: 'eu-1', server: 'https://eu-1.example.com', labels: { env: 'prod' } },
      { name: 'us-1', server: 'https://us-1.example.com', labels: { env: 'prod' } },
      { name: 'dev-1', server: 'https://dev-1.example.com', labels: { env: 'dev' } },
    ];
    const prod = applications(clusters).filter((a) => a.metadata.labels['cdk8s-ml.io/environment'] === 'prod');
    expect(prod).toHaveLength(6 * 2);
    expect(new Set(prod.map((a) => a.spec.destination.server))).toEqual(new Set(['https://eu-1.example.com', 'https://us-1.example.com']));
  });

  test('the Argo CD objects and the AppProject of a fleet pass schema validation; the project allows each listed cluster', () => {
    write('environments.yaml', environments('  granularity: workload\n  appProject: true\n', (t) => t.replace(/    cluster: prod-eu-west-1.*\n/, '    clusters: [prod-eu-west-1, prod-us-east-1]\n')));
    expect(synth().code).toBe(0);
    const all = argoCdObjects();
    expect(validateManifests(all.map((object) => ({ object, source: 'x' }))).violations).toEqual([]);
    const project = all.find((o) => o.kind === 'AppProject');
    expect(project.spec.destinations).toEqual(expect.arrayContaining([
      { name: 'prod-eu-west-1', namespace: 'ml-serving' }, { name: 'prod-us-east-1', namespace: 'ml-serving' },
    ]));
    for (const app of applications()) expect(app.spec.project).toBe('cdk8s-ml');
    // Every Application's destination is one the project allows.
    const allowed = new Set(project.spec.destinations.map((d: any) => JSON.stringify(d)));
    for (const app of applications()) expect(allowed.has(JSON.stringify(app.spec.destination))).toBe(true);
  });
});

describe('fleets of clusters (granularity environment)', () => {
  beforeEach(() => {
    write('workloads/server.yaml', 'kind: ModelServing\nname: fraud-detector\nnamespace: ml-serving\nimage: registry.example.com/ml/fraud-detector:1.4.2\nservice: { port: 80 }\n');
  });

  test('clusters: an Application per cluster; with applicationSet, an ApplicationSet of the environment with a list generator', () => {
    const file = 'argocd: { repoURL: https://git.example.com/ml.git }\nenvironments:\n  dev: {}\n  prod:\n    clusters: [https://eu.k8s.example.com, https://us.k8s.example.com:6443]\n';
    write('environments.yaml', file);
    expect(synth().code).toBe(0);
    expect(filesBelow(path.join(project.root, 'dist/argocd')).filter((f) => f.endsWith('.k8s.yaml'))).toEqual([
      'cdk8s-ml-dev.k8s.yaml', 'cdk8s-ml-prod-eu-k8s-example-com.k8s.yaml', 'cdk8s-ml-prod-us-k8s-example-com-6443.k8s.yaml',
    ]);
    const plain = applications().map(comparable);
    expect(plain.map((a: any) => a.spec.destination)).toEqual([
      { server: 'https://kubernetes.default.svc' }, { server: 'https://eu.k8s.example.com' }, { server: 'https://us.k8s.example.com:6443' },
    ]);
    write('environments.yaml', file.replace('ml.git }', 'ml.git, applicationSet: true }'));
    expect(synth().code).toBe(0);
    expect(filesBelow(path.join(project.root, 'dist/argocd')).filter((f) => f.endsWith('.k8s.yaml'))).toEqual(['cdk8s-ml-prod.k8s.yaml', 'cdk8s-ml.k8s.yaml']);
    // The generated Applications are the plain ones, but for the namespace '' the list generator gives the in-cluster environment.
    expect(applications().map(comparable).map((a: any) => [a.name, a.spec.destination.server])).toEqual(plain.map((a: any) => [a.name, a.spec.destination.server]));
  });

  test('generated or written, an environment\'s Application leaves its workloads running when deleted', () => {
    const file = 'argocd: { repoURL: https://git.example.com/ml.git }\nenvironments:\n  dev: {}\n  prod:\n    clusters: [eu, us]\n';
    write('environments.yaml', file);
    expect(synth().code).toBe(0);
    expect(applications().map((a) => a.metadata.finalizers)).toEqual([undefined, undefined, undefined]);
    write('environments.yaml', file.replace('ml.git }', 'ml.git, applicationSet: true }'));
    expect(synth().code).toBe(0);
    expect(objects('dist/argocd/cdk8s-ml.k8s.yaml')[0].spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    expect(applications().map((a) => a.metadata.finalizers)).toEqual([undefined, undefined, undefined]);
  });

  test('a workload whose Application would take the name of an environment\'s Namespaces Application is an error at the workload', () => {
    write('environments.yaml', 'argocd: { repoURL: https://git.example.com/ml.git, granularity: workload }\nenvironments:\n  a-b:\n    namespace: ml\n  a:\n    namespace: b\n');
    write('workloads/n.yaml', 'kind: MlPipeline\nname: namespaces\nimage: registry.example.com/ml/x:1.0.0\n');
    const { code, stderr } = synth();
    expect(code).toBe(1);
    expect(stderr).toContain("workloads/n.yaml:2: name: the Argo CD Application of workload 'namespaces' of 'a' would be named 'cdk8s-ml-a-b-namespaces', as the one of the Namespaces of 'a-b' is; rename the workload, its namespace or the environment\ncdk8s-ml: synth failed with 1 problem(s); nothing was written\n");
  });

  test('an environment of clusters whose Application would take another environment\'s name is an error', () => {
    write('environments.yaml', 'argocd: { repoURL: https://git.example.com/ml.git }\nenvironments:\n  prod:\n    namespace: a\n    clusters: [eu, us]\n  prod-eu:\n    namespace: b\n');
    const { code, stderr } = synth();
    expect(code).toBe(1);
    expect(stderr).toContain("environments.yaml:6: environments.prod-eu: the Argo CD Application of environment 'prod-eu' would be named 'cdk8s-ml-prod-eu', as the one of environment 'prod' is");
  });

  test('with appProject and without Namespaces, the project allows no Namespace and no Application creates one', () => {
    write('environments.yaml', 'argocd: { repoURL: https://git.example.com/ml.git, appProject: true }\ncreateNamespaces: false\nenvironments:\n  prod: {}\n');
    expect(synth().code).toBe(0);
    expect(objects('dist/argocd/project.cdk8s-ml.k8s.yaml')[0].spec.clusterResourceWhitelist).toEqual([]);
    expect(objects('dist/argocd/cdk8s-ml-prod.k8s.yaml')[0].spec.syncPolicy.syncOptions).toEqual(['PruneLast=true']);
  });

  test('a cluster selector needs an ApplicationSet', () => {
    write('environments.yaml', 'argocd: { repoURL: https://git.example.com/ml.git }\nenvironments:\n  prod:\n    clusterSelector: { matchLabels: { env: prod } }\n');
    const { code, stderr } = synth();
    expect(code).toBe(1);
    expect(stderr).toContain("environments.yaml:4: environments.prod.clusterSelector: a cluster selector is resolved by Argo CD's cluster generator, which only an ApplicationSet runs: set argocd.applicationSet: true, or list the clusters under 'clusters'");
  });

  test('two environments deploying a workload to one namespace of one cluster is an error, across cluster lists and identical selectors', () => {
    write('environments.yaml', 'environments:\n  blue:\n    namespace: ml\n    clusters: [eu, us]\n  green:\n    namespace: ml\n    clusters: [ap, us]\n');
    let result = synth();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("environments.green.namespace: environments 'blue' and 'green' both deploy 'fraud-detector' to namespace 'ml' of cluster us; their Argo CD Applications would own the same objects");
    write('environments.yaml', 'argocd: { repoURL: r, applicationSet: true }\nenvironments:\n  blue:\n    clusterSelector: { matchLabels: { tier: prod, region: eu } }\n  green:\n    clusterSelector: { matchLabels: { region: eu, tier: prod } }\n');
    result = synth();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("environments.green.clusterSelector: environments 'blue' and 'green' both deploy 'fraud-detector' to namespace 'ml-serving' of the clusters selected by region=eu,tier=prod");
    // Different selectors may or may not overlap: Argo CD alone knows (see README).
    write('environments.yaml', 'argocd: { repoURL: r, applicationSet: true }\nenvironments:\n  blue:\n    clusterSelector: { matchLabels: { tier: prod, region: eu } }\n  green:\n    clusterSelector: { matchLabels: { tier: prod, region: us } }\n');
    expect(synth().code).toBe(0);
  });
});
