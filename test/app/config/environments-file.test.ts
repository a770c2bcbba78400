import { formatFileIssue } from '../../../app/config/workload-file';
import { parseEnvironmentsFile } from '../../../app/config/environments-file';

const VALID = `argocd:
  repoURL: https://github.com/example/gitops.git
environments:
  dev:
    namespace: ml-dev
    defaults: { labels: { tier: dev } }
  prod:
    cluster: prod-eu
    overrides: { autoscaling: { maxReplicas: 40 } }
`;

function problems(text: string): string[] {
  return parseEnvironmentsFile('environments.yaml', text).issues.map(formatFileIssue);
}

describe('environments file', () => {
  test('reads the environments in order, with their defaults resolved', () => {
    const { config, issues } = parseEnvironmentsFile('environments.yaml', VALID);
    expect(issues).toEqual([]);
    expect(config!.environments).toEqual([
      { name: 'dev', clusters: { single: 'https://kubernetes.default.svc' }, namespace: 'ml-dev', defaults: { labels: { tier: 'dev' } }, overrides: {} },
      { name: 'prod', clusters: { single: 'prod-eu' }, namespace: undefined, defaults: {}, overrides: { autoscaling: { maxReplicas: 40 } } },
    ]);
    expect(config!.createNamespaces).toBe(true);
  });

  test("Argo CD settings default to HEAD of the repository's dist/, project default, namespace argocd, one Application per environment", () => {
    expect(parseEnvironmentsFile('environments.yaml', VALID).config!.argocd).toEqual({
      repoURL: 'https://github.com/example/gitops.git', targetRevision: 'HEAD', path: 'dist', project: 'default', namespace: 'argocd', name: 'cdk8s-ml', granularity: 'environment', applicationSet: false, appProject: false,
    });
  });

  test('an environment may be empty', () => {
    expect(parseEnvironmentsFile('environments.yaml', 'environments:\n  dev:\n').config!.environments[0].name).toBe('dev');
  });

  test('without argocd, no Argo CD settings', () => {
    expect(parseEnvironmentsFile('environments.yaml', 'environments: { dev: {} }\n').config!.argocd).toBeUndefined();
  });

  test('fails with file, line and field for an unknown key, with a suggestion', () => {
    expect(problems('environments:\n  dev:\n    namespce: x\n')).toEqual([
      "environments.yaml:3: environments.dev.namespce: unknown key 'namespce'; did you mean 'namespace'?",
    ]);
  });

  test('fails when an environment is named like the Argo CD folder, or is not a DNS label', () => {
    expect(problems('environments:\n  argocd: {}\n  Prod: {}\n')).toEqual([
      "environments.yaml:2: environments.argocd: 'argocd' is the folder of the Argo CD objects; name the environment otherwise",
      "environments.yaml:3: environments.Prod: 'Prod' is not a valid environment name; use lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters",
    ]);
  });

  test('fails when defaults or overrides name keys a workload does not have, or that cannot be shared', () => {
    expect(problems('environments:\n  dev:\n    defaults: { autoscale: {}, name: x }\n    overrides: { namespace: y }\n')).toEqual([
      "environments.yaml:3: environments.dev.defaults.autoscale: 'autoscale' is not a workload key; did you mean 'autoscaling'?",
      "environments.yaml:3: environments.dev.defaults.name: 'name' cannot be set for a whole environment: a workload name cannot have a default",
      "environments.yaml:4: environments.dev.overrides.namespace: 'namespace' cannot be set for a whole environment: set the environment's 'namespace' instead",
    ]);
  });

  test('fails on validation: in defaults or overrides, as in a workload file: only constructs composed in TypeScript take it', () => {
    expect(problems('environments:\n  dev:\n    defaults: { validation: false }\n')).toEqual([
      "environments.yaml:3: environments.dev.defaults.validation: 'validation' is not a workload-file key: it turns off the checks app.synth() makes on constructs composed in TypeScript, and synth checks every object of its files; to exempt this workload from one rule, use policy.ignore with a reason",
    ]);
  });

  test('fails when argocd.path leaves the repository', () => {
    expect(problems('argocd: { repoURL: r, path: ../dist }\nenvironments: { dev: {} }\n')).toEqual([
      "environments.yaml:1: argocd.path: '../dist' is not a path inside the repository; write it relative to the repository root, without '..', e.g. deploy/dist",
    ]);
  });

  test('fails without environments', () => {
    expect(problems('environments: {}\n')).toEqual(['environments.yaml:1: environments: name at least one environment, e.g. environments: { dev: {}, prod: {} }']);
  });

  test('granularity workload makes ApplicationSets the default; applicationSet: false keeps plain Applications', () => {
    const argocd = (extra: string) => parseEnvironmentsFile('environments.yaml', `argocd: { repoURL: r${extra} }\nenvironments: { dev: {} }\n`).config!.argocd!;
    expect(argocd(', granularity: workload')).toMatchObject({ granularity: 'workload', applicationSet: true });
    expect(argocd(', granularity: workload, applicationSet: false')).toMatchObject({ granularity: 'workload', applicationSet: false });
    expect(problems('argocd: { repoURL: r, granularity: app }\nenvironments: { dev: {} }\n')).toEqual([
      "environments.yaml:1: argocd.granularity: must be one of environment, workload, got 'app'",
    ]);
  });

  test('clusters lists several clusters, each with its slug; clusterSelector selects them by label', () => {
    const { config } = parseEnvironmentsFile('environments.yaml', 'argocd: { repoURL: r, applicationSet: true }\nenvironments:\n  prod: { clusters: [Prod_EU, prod-us] }\n  stage: { clusters: [https://us.k8s.example.com:6443/] }\n  edge: { clusterSelector: { matchLabels: { tier: edge } } }\n');
    expect(config!.environments.map((e) => e.clusters)).toEqual([
      { listed: [{ cluster: 'Prod_EU', slug: 'prod-eu' }, { cluster: 'prod-us', slug: 'prod-us' }] },
      { listed: [{ cluster: 'https://us.k8s.example.com:6443/', slug: 'us-k8s-example-com-6443' }] },
      { selector: { tier: 'edge' } },
    ]);
  });

  test('fails for clusters given two ways, an empty or repeated list, clashing slugs, a bad selector', () => {
    expect(problems([
      'argocd: { repoURL: r, applicationSet: true }',
      'environments:',
      '  a: { cluster: x, clusters: [y] }',
      '  b: { clusters: [] }',
      '  c: { clusters: [eu, eu] }',
      '  d: { clusters: [prod.eu, Prod-EU] }',
      '  e: { clusterSelector: { matchLabels: {} } }',
      "  f: { clusterSelector: { matchLabels: { 'bad key!': x } } }",
      '  g: { clusters: [eu, https://us.example.com] }',
      '',
    ].join('\n'))).toEqual([
      "environments.yaml:3: environments.a.clusters: 'cluster' and 'clusters' both say where the environment deploys; keep one: 'cluster' (one), 'clusters' (a list) or 'clusterSelector' (the labels of Argo CD cluster secrets)",
      'environments.yaml:4: environments.b.clusters: name at least one cluster, e.g. clusters: [prod-eu, prod-us]; or use cluster for one',
      'environments.yaml:7: environments.e.clusterSelector.matchLabels: name at least one label of the Argo CD cluster secrets, e.g. matchLabels: { env: prod }',
      "environments.yaml:8: environments.f.clusterSelector.matchLabels[\"bad key!\"]: 'bad key!' is not a valid label key; use [prefix/]name with a DNS subdomain prefix and a name of at most 63 alphanumerics, '-', '_' or '.'",
    ]);
    expect(problems('argocd: { repoURL: r, applicationSet: true }\nenvironments:\n  c: { clusters: [eu, eu] }\n  d: { clusters: [prod.eu, Prod-EU] }\n  g: { clusters: [eu, https://us.example.com] }\n')).toEqual([
      "environments.yaml:3: environments.c.clusters[1]: 'eu' is listed twice",
      "environments.yaml:4: environments.d.clusters[1]: 'Prod-EU' and 'prod.eu' would both name their Applications '-prod-eu'; name the clusters so that they differ in more than case and punctuation",
      "environments.yaml:5: environments.g.clusters[1]: an ApplicationSet needs every cluster of an environment given the same way: 'eu' is a cluster name, 'https://us.example.com' is not; use one kind for all, or set argocd.applicationSet: false",
    ]);
  });

  test('a cluster with no letter or digit in its name is an error', () => {
    expect(problems('environments:\n  prod: { clusters: [eu, "--"] }\n')).toEqual([
      "environments.yaml:2: environments.prod.clusters[1]: '--' has no letter or digit to name its Applications by; register the cluster in Argo CD under a name that has",
    ]);
  });

  test('a cluster selector without Argo CD is an error', () => {
    expect(problems('environments:\n  prod: { clusterSelector: { matchLabels: { env: prod } } }\n')).toEqual([
      "environments.yaml:2: environments.prod.clusterSelector: a cluster selector is resolved by an Argo CD ApplicationSet, and there is no argocd section: add one (with applicationSet: true), or list the clusters under 'clusters'",
    ]);
  });

  test('fails when an ApplicationSet would mix cluster URLs and names', () => {
    expect(problems('argocd: { repoURL: r, applicationSet: true }\nenvironments:\n  dev: { cluster: https://kubernetes.default.svc }\n  prod: { cluster: prod-eu }\n')).toEqual([
      "environments.yaml:4: environments.prod.cluster: an ApplicationSet needs every cluster given the same way: 'dev' gives an API server URL, 'prod' gives 'prod-eu'; use one kind for all, or set argocd.applicationSet: false",
    ]);
  });

  test('fails on YAML errors and on more than one document', () => {
    expect(problems('environments: {dev: \n')[0]).toMatch(/^environments\.yaml:1: YAML syntax error/);
    expect(problems('environments: { dev: {} }\n---\nenvironments: { prod: {} }\n')).toEqual([
      'environments.yaml:1: an environments file holds one YAML document with environments (and argocd)',
    ]);
  });
});
