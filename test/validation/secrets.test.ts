import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatReport, type Manifest, validateManifests } from '../../lib';
import { loadManifests } from '../../app/validate/load-manifests';
import { runValidate } from '../../app/validate/run-validate';
import { useTempProject } from '../helpers';
import { CLEAN, SAMPLES } from './secret-samples';

const SECRET_RULES = ['ENV-SECRET-LITERAL', 'SECRET-LITERAL', 'SECRET-MANIFEST'];
const EVERY_SECRET = [...Object.values(SAMPLES), 'hunter2'];

/** valid.yaml, whose Deployment's container gets `container` merged in, plus `extra` objects. */
function manifests(container: Record<string, unknown>, ...extra: Record<string, unknown>[]): Manifest[] {
  const base = loadManifests(path.join(__dirname, 'valid.yaml'), 'valid.yaml').manifests;
  const deployment = base.find((m) => m.object.kind === 'Deployment')!;
  const spec = (deployment.object.spec as any).template.spec;
  spec.containers[0] = { ...spec.containers[0], ...container };
  return [...base, ...extra.map((object) => ({ object, source: 'extra.yaml' }))];
}

/** What the secret rules report, as `field: [RULE] message`, and the whole report's text. */
function check(list: Manifest[]) {
  const result = validateManifests(list);
  const findings = [...result.violations, ...result.warnings].filter((v) => SECRET_RULES.includes(v.rule.id));
  return { findings: findings.map((v) => `${v.field}: [${v.rule.id}] ${v.message}`), result, report: formatReport(result) };
}

const envOf = (entries: Record<string, string>) => Object.entries(entries).map(([name, value]) => ({ name, value }));
const ENV = 'spec.template.spec.containers[0].env';

describe('ENV-SECRET-LITERAL', () => {
  test.each([
    ['DB_PASS', 'hunter2'], ['DB_PASSWORD2', 'hunter2'], ['PWD_DB', 'hunter2'], ['SECRET_ID', 'a1b2c3'], ['SIGNING_KEY', 'k3y'],
    ['AZURE_BATCH_KEY', 'aGVsbG8='], ['OCI_CLI_KEY_CONTENT', 'MIIEvQIBADANBg'],
  ])('reports %s by its name', (name, value) => {
    expect(check(manifests({ env: envOf({ LOG_LEVEL: 'info', [name]: value }) })).findings)
      .toEqual([`${ENV}[1].value: [ENV-SECRET-LITERAL] container 'web' sets ${name} to a literal value`]);
  });

  test.each([
    ['AWS_ACCESS_KEY_ID', SAMPLES.awsAccessKeyId, 'AWSAccessKeyID, by secretlint\'s aws rule'],
    ['MY_CONFIG', `region=eu-west-1,key=${SAMPLES.awsAccessKeyId}`, 'AWSAccessKeyID, by secretlint\'s aws rule'],
    ['AWS_SECRET_ACCESS_KEY', SAMPLES.awsSecretAccessKey, 'AWSSecretAccessKey, by secretlint\'s aws rule'],
    ['DATABASE_URL', SAMPLES.databaseUrl, 'PostgreSQLConnection, by secretlint\'s database-connection-string rule'],
    ['GITHUB_PAT', SAMPLES.githubPat, 'GITHUB_TOKEN, by secretlint\'s github rule'],
    ['OPENAI_KEY', SAMPLES.openAiKey, 'OPENAI_TOKEN, by secretlint\'s openai rule'],
    ['AUTH_HEADER', SAMPLES.bearer, 'a bearer token'],
    ['ALERTS_WEBHOOK', SAMPLES.slackWebhook, 'IncomingWebhook, by secretlint\'s slack rule'],
    ['DEPLOY_IDENTITY', SAMPLES.openSshPrivateKey, 'PrivateKey, by secretlint\'s privatekey rule'],
    ['BROKER_URL', SAMPLES.amqpUrl, 'a URL with a password'],
    ['MODEL_HUB_AUTH', SAMPLES.huggingFaceToken, 'a Hugging Face token'],
  ])('reports %s by its value, naming what it holds and not the value', (name, value, what) => {
    const { findings, report } = check(manifests({ env: envOf({ [name]: value }) }));
    expect(findings).toEqual([`${ENV}[0].value: [ENV-SECRET-LITERAL] container 'web' sets ${name} to a literal credential (${what})`]);
    expect(report).not.toContain(value);
  });

  test('passes what ML workloads set', () => {
    expect(check(manifests({ env: envOf(Object.fromEntries(CLEAN)) })).findings).toEqual([]);
  });

  test('looks at init containers too', () => {
    const init = { name: 'download', image: 'registry.example.com/fetch:1.0.0', env: envOf({ HF_TOKEN: 'x1y2z3' }), resources: { requests: { cpu: '100m', memory: '64Mi' } } };
    expect(check(manifests({ env: [] })).findings).toEqual([]);
    const list = manifests({});
    ((list.find((m) => m.object.kind === 'Deployment')!.object.spec as any).template.spec).initContainers = [init];
    expect(check(list).findings).toEqual(["spec.template.spec.initContainers[0].env[0].value: [ENV-SECRET-LITERAL] container 'download' sets HF_TOKEN to a literal value"]);
  });
});

describe('SECRET-LITERAL', () => {
  const ARGS = 'spec.template.spec.containers[0].args';

  test.each([
    [['--db-password=hunter2'], `${ARGS}[0]: [SECRET-LITERAL] container 'web' passes a literal value for db-password in its args`],
    [['--model', 's3://models/x', '--db-password', 'hunter2'], `${ARGS}[3]: [SECRET-LITERAL] container 'web' passes a literal value for --db-password in its args`],
    [['-c', 'export DB_PASSWORD=hunter2 && exec serve'], `${ARGS}[1]: [SECRET-LITERAL] container 'web' passes a literal value for DB_PASSWORD in its args`],
    [['--hub', SAMPLES.githubPat], `${ARGS}[1]: [SECRET-LITERAL] container 'web' passes a literal credential (GITHUB_TOKEN, by secretlint's github rule) in its args`],
  ])('reports a credential in args %#', (args, finding) => {
    const { findings, report } = check(manifests({ args }));
    expect(findings).toEqual([finding]);
    expect(report).not.toContain('hunter2');
    expect(report).not.toContain(SAMPLES.githubPat);
  });

  test('reports a credential in the command', () => {
    expect(check(manifests({ command: ['serve', `--broker=${SAMPLES.amqpUrl}`] })).findings)
      .toEqual(["spec.template.spec.containers[0].command[1]: [SECRET-LITERAL] container 'web' passes a literal credential (a URL with a password) in its command"]);
  });

  test('passes command lines that only mention credentials', () => {
    const args = ['--max-tokens', '4096', '--pad-token', '<pad>', '--hf-token', '$(HF_TOKEN)', '--password-file', '/run/secrets/db', '--token-budget=2048', 'DB_PASSWORD=$(cat /run/secrets/db)', '--use-auth-token', 'true', '--tokenizer', 'gpt2'];
    expect(check(manifests({ args })).findings).toEqual([]);
  });

  const configMap = (data: Record<string, string>, binaryData?: Record<string, string>) =>
    ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config', namespace: 'valid' }, data, ...binaryData ? { binaryData } : {} });

  test('reports a ConfigMap key that names a credential, and one whose value is a credential', () => {
    const { findings, report } = check(manifests({}, configMap({ LOG_LEVEL: 'info', DB_PASSWORD: 'hunter2', 'alerts.url': SAMPLES.slackWebhook }, { 'deploy.key': Buffer.from(SAMPLES.openSshPrivateKey).toString('base64') })));
    expect(findings).toEqual([
      'data.DB_PASSWORD: [SECRET-LITERAL] key DB_PASSWORD holds a literal value',
      'data["alerts.url"]: [SECRET-LITERAL] key alerts.url holds a literal credential (IncomingWebhook, by secretlint\'s slack rule)',
      'binaryData["deploy.key"]: [SECRET-LITERAL] key deploy.key holds a literal credential (PrivateKey, by secretlint\'s privatekey rule)',
    ]);
    expect(report).not.toContain('hunter2');
  });

  test('passes a ConfigMap of ML settings', () => {
    expect(check(manifests({}, configMap(Object.fromEntries(CLEAN)))).findings).toEqual([]);
  });

  test('reports a credential in an annotation, of the object or of its pods', () => {
    const list = manifests({});
    const deployment = list.find((m) => m.object.kind === 'Deployment')!.object as any;
    deployment.metadata.annotations = { 'example.com/notify': SAMPLES.slackWebhook };
    deployment.spec.template.metadata.annotations = { 'example.com/auth': SAMPLES.bearer, 'vault.hashicorp.com/agent-inject-secret-db': 'database/creds/db' };
    expect(check(list).findings).toEqual([
      'metadata.annotations["example.com/notify"]: [SECRET-LITERAL] annotation example.com/notify holds a literal credential (IncomingWebhook, by secretlint\'s slack rule)',
      'spec.template.metadata.annotations["example.com/auth"]: [SECRET-LITERAL] annotation example.com/auth holds a literal credential (a bearer token)',
    ]);
  });

  test.each(['ScaledObject', 'ScaledJob'])('reports credentials in %s trigger metadata', (kind) => {
    const scaler = {
      apiVersion: 'keda.sh/v1alpha1',
      kind,
      metadata: { name: 'web-scaler', namespace: 'valid' },
      spec: { triggers: [{ type: 'rabbitmq', metadata: { host: SAMPLES.amqpUrl, queueName: 'jobs', mode: 'QueueLength', value: '20' } }, { type: 'kafka', metadata: { password: 'hunter2', topic: 'jobs' } }] },
    };
    const { findings, report } = check(manifests({}, scaler));
    expect(findings).toEqual([
      'spec.triggers[0].metadata.host: [SECRET-LITERAL] trigger 0 metadata host holds a literal credential (a URL with a password)',
      'spec.triggers[1].metadata.password: [SECRET-LITERAL] trigger 1 metadata password holds a literal value',
    ]);
    expect(report).not.toContain(SAMPLES.amqpUrl);
  });
});

describe('SECRET-MANIFEST', () => {
  const secret = (fields: Record<string, unknown>, annotations?: Record<string, string>) =>
    ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'web-db', namespace: 'valid', ...annotations ? { annotations } : {} }, type: 'Opaque', ...fields });

  test('warns of a Secret written with its values, naming the keys only', () => {
    const { findings, result, report } = check(manifests({}, secret({ stringData: { password: 'hunter2' }, data: { user: 'YWRtaW4=', empty: '' } })));
    expect(findings).toEqual([
      'data: [SECRET-MANIFEST] Secret holds 1 literal value(s) in data (user)',
      'stringData: [SECRET-MANIFEST] Secret holds 1 literal value(s) in stringData (password)',
    ]);
    expect(result.violations).toEqual([]);
    expect(report).toContain('warning: extra.yaml: Secret valid/web-db: stringData: [SECRET-MANIFEST]');
    expect(report).toContain('0 policy violation(s), 2 warning(s), 0 suppressed');
    expect(report).not.toContain('hunter2');
  });

  test('passes a Secret with no values (filled in by a controller)', () => {
    expect(check(manifests({}, secret({ type: 'kubernetes.io/service-account-token', data: {} }))).findings).toEqual([]);
  });

  test('can be suppressed with a reason', () => {
    const { findings, result } = check(manifests({}, secret({ stringData: { region: 'eu-west-1' } }, { 'ignore.policy.cdk8s-ml.io/SECRET-MANIFEST': 'region only, not sensitive' })));
    expect(findings).toEqual([]);
    expect(result.suppressed.map((s) => `${s.rule.id}: ${s.reason}`)).toEqual(['SECRET-MANIFEST: region only, not sensitive']);
  });
});

describe('npm run validate', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-secrets-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function validate(file: string) {
    let stdout = '';
    let stderr = '';
    const code = runValidate({ paths: [file], cwd: dir, stdout: (t) => { stdout += t; }, stderr: (t) => { stderr += t; } });
    return { code, stdout, stderr };
  }

  test('fails on a literal credential, naming the field and not the value', () => {
    const text = fs.readFileSync(path.join(__dirname, 'valid.yaml'), 'utf8')
      .replace('readOnlyRootFilesystem: true\n', `readOnlyRootFilesystem: true\n          env:\n            - name: GITHUB_PAT\n              value: ${SAMPLES.githubPat}\n          args: ["--db-password=hunter2"]\n`);
    fs.writeFileSync(path.join(dir, 'app.yaml'), text);
    const { code, stderr } = validate('app.yaml');
    expect(code).toBe(1);
    expect(stderr).toContain("app.yaml:15: Deployment valid/web: spec.template.spec.containers[0].env[0].value: [ENV-SECRET-LITERAL] container 'web' sets GITHUB_PAT to a literal credential (GITHUB_TOKEN, by secretlint's github rule)");
    expect(stderr).toContain("app.yaml:15: Deployment valid/web: spec.template.spec.containers[0].args[0]: [SECRET-LITERAL] container 'web' passes a literal value for db-password in its args");
    expect(stderr).not.toContain(SAMPLES.githubPat);
    expect(stderr).not.toContain('hunter2');
  });

  test('warns of a Secret with stringData and exits 0', () => {
    fs.writeFileSync(path.join(dir, 'secret.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata: { name: db, namespace: valid }\nstringData: { password: hunter2 }\n');
    const { code, stdout } = validate('secret.yaml');
    expect(code).toBe(0);
    expect(stdout).toContain('warning: secret.yaml:1: Secret valid/db: stringData: [SECRET-MANIFEST] Secret holds 1 literal value(s) in stringData (password)');
    expect(stdout).not.toContain('hunter2');
  });
});

describe('synth', () => {
  const project = useTempProject('cdk8s-ml-secrets-');

  test('fails on literal credentials in a workload file, naming each field and no value', () => {
    const env = { DB_PASS: 'hunter2', MY_CONFIG: SAMPLES.awsAccessKeyId, OPENAI_KEY: SAMPLES.openAiKey, AUTH_HEADER: SAMPLES.bearer, MAX_TOKENS: '4096' };
    project.write('workloads/app.yaml', [
      'kind: MlPipeline',
      'name: app',
      'namespace: ml',
      'image: registry.example.com/ml/app:1.0.0',
      'args: ["--db-password=hunter2"]',
      'env:',
      ...Object.entries(env).map(([name, value]) => `  ${name}: ${JSON.stringify(value)}`),
      '',
    ].join('\n'));
    const { code, stdout, stderr } = project.synth({ CDK8S_ML_ENVIRONMENTS: 'none' });
    expect(code).toBe(1);
    const lines = stderr.split('\n').filter((l) => l.startsWith('workloads/app.yaml'));
    const c = 'spec.template.spec.containers[0]';
    expect(lines).toEqual([
      `workloads/app.yaml:1: Deployment ml/app: ${c}.env[0].value: [ENV-SECRET-LITERAL] container 'worker' sets DB_PASS to a literal value`,
      `workloads/app.yaml:1: Deployment ml/app: ${c}.env[1].value: [ENV-SECRET-LITERAL] container 'worker' sets MY_CONFIG to a literal credential (AWSAccessKeyID, by secretlint's aws rule)`,
      `workloads/app.yaml:1: Deployment ml/app: ${c}.env[2].value: [ENV-SECRET-LITERAL] container 'worker' sets OPENAI_KEY to a literal credential (OPENAI_TOKEN, by secretlint's openai rule)`,
      `workloads/app.yaml:1: Deployment ml/app: ${c}.env[3].value: [ENV-SECRET-LITERAL] container 'worker' sets AUTH_HEADER to a literal credential (a bearer token)`,
      `workloads/app.yaml:1: Deployment ml/app: ${c}.args[0]: [SECRET-LITERAL] container 'worker' passes a literal value for db-password in its args`,
    ]);
    for (const secret of EVERY_SECRET) expect(stdout + stderr).not.toContain(secret);
  });

  test('passes the example workloads with no finding', () => {
    const root = path.resolve(__dirname, '../..');
    fs.cpSync(path.join(root, 'workloads'), path.join(project.root, 'workloads'), { recursive: true });
    fs.copyFileSync(path.join(root, 'environments.yaml'), path.join(project.root, 'environments.yaml'));
    const { code, stdout } = project.synth();
    expect(code).toBe(0);
    expect(stdout).toContain('0 policy violation(s), 0 suppressed');
  });
});
