import { formatReport, type Manifest, RULES, validateManifests } from '../../lib';
import { looksLikeSecret } from '../../lib/core/secret-names';

function deployment(annotations: Record<string, string> = {}, env: { name: string; value: string }[] = []): Manifest {
  return {
    source: 'app.yaml',
    line: 1,
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', annotations },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [{
              name: 'web',
              image: 'registry.example.com/web:1.0.0',
              env,
              resources: { requests: { cpu: '100m', memory: '128Mi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            }],
          },
        },
      },
    },
  };
}

const SECRET_ENV = [{ name: 'DB_PASSWORD', value: 'hunter2' }];

describe('validateManifests', () => {
  test('a violation names the source, object, field, rule and fix', () => {
    const result = validateManifests([deployment({}, SECRET_ENV)]);
    expect(formatReport(result)).toContain(
      "app.yaml:1: Deployment web: spec.template.spec.containers[0].env[0].value: [ENV-SECRET-LITERAL] container 'web' sets DB_PASSWORD to a literal value\n    fix: Keep it in a Secret",
    );
  });

  test('a credential variable that points at a file or another variable holds no secret', () => {
    const env = [{ name: 'GOOGLE_APPLICATION_CREDENTIALS', value: '/var/run/secrets/gcp/key.json' }, { name: 'DB_PASSWORD', value: '$(POSTGRES_PASSWORD)' }];
    expect(validateManifests([deployment({}, env)]).violations).toEqual([]);
  });

  test('an ignore annotation with a reason suppresses the rule, and the report shows it', () => {
    const result = validateManifests([deployment({ 'ignore.policy.cdk8s-ml.io/ENV-SECRET-LITERAL': 'a throwaway demo database' }, SECRET_ENV)]);
    expect(result.violations).toEqual([]);
    expect(formatReport(result)).toContain("suppressed: app.yaml:1: Deployment web: spec.template.spec.containers[0].env[0].value: [ENV-SECRET-LITERAL] container 'web' sets DB_PASSWORD to a literal value (reason: a throwaway demo database)");
    expect(formatReport(result)).toContain('cdk8s-ml: 1 object(s) checked: 0 policy violation(s), 1 suppressed');
  });

  test('an ignore annotation without a reason suppresses nothing and is itself a violation', () => {
    const result = validateManifests([deployment({ 'ignore.policy.cdk8s-ml.io/ENV-SECRET-LITERAL': ' ' }, SECRET_ENV)]);
    expect(result.violations.map((v) => v.rule.id).sort()).toEqual(['ENV-SECRET-LITERAL', 'POLICY-SUPPRESSION']);
  });

  test('a rule the API server enforces cannot be suppressed', () => {
    const manifest = deployment({ 'ignore.policy.cdk8s-ml.io/K8S-NAMES': 'please' });
    const result = validateManifests([{ ...manifest, object: { ...manifest.object, metadata: { ...manifest.object.metadata, name: 'Web' } } }]);
    expect(result.violations.map((v) => `${v.rule.id}: ${v.message}`).sort()).toEqual([
      "K8S-NAMES: 'Web' is not a DNS-1123 subdomain (lowercase letters, digits, - and ., at most 253)",
      'POLICY-SUPPRESSION: K8S-NAMES cannot be suppressed',
    ]);
  });

  test('a rule that fails on an object is reported as INTERNAL-ERROR, not passed, and the other rules still run', () => {
    const broken = { ...RULES[0], id: 'BROKEN', check: () => { throw new Error('boom'); } };
    const result = validateManifests([deployment({}, SECRET_ENV)], [broken, ...RULES]);
    expect(result.violations.map((v) => `${v.rule.id}: ${v.message}`)).toEqual([
      'INTERNAL-ERROR: BROKEN failed: boom',
      "ENV-SECRET-LITERAL: container 'web' sets DB_PASSWORD to a literal value",
    ]);
  });

  test('a kind Kubernetes does not have is a schema violation', () => {
    const result = validateManifests([{ source: 'a.yaml', object: { apiVersion: 'apps/v1', kind: 'Deploymnet', metadata: { name: 'x' } } }]);
    expect(result.violations.map((v) => v.message)).toEqual(['Kubernetes has no kind Deploymnet in apps/v1 (removed or misspelt?)']);
  });

  test('an API version Kubernetes 1.28 no longer serves is a schema violation', () => {
    const result = validateManifests([{ source: 'a.yaml', object: { apiVersion: 'autoscaling/v2beta2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'x' } } }]);
    expect(result.violations.map((v) => v.message)).toEqual(['autoscaling/v2beta2 was removed in Kubernetes 1.26; use autoscaling/v2']);
  });

  test('custom resources are checked against their schema where a package has it', () => {
    const result = validateManifests([{ source: 'a.yaml', object: { apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'x' }, spec: {} } }]);
    expect(result.violations.map((v) => `${v.rule.id} ${v.field}: ${v.message}`)).toEqual(['K8S-SCHEMA spec.scaleTargetRef: is required', 'K8S-SCHEMA spec.triggers: is required']);
  });

  test('custom resources without a schema are listed as not schema-checked', () => {
    const result = validateManifests([{ source: 'a.yaml', object: { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'x' } } }]);
    expect(result.violations).toEqual([]);
    expect(formatReport(result)).toContain('not schema-checked (no schema installed for example.com/v1 Widget): Widget x in a.yaml');
  });
});

describe('HPA-METRIC-REQUESTS', () => {
  function withSidecar(restartPolicy?: string): Manifest[] {
    const app = deployment();
    const spec = (app.object.spec as any).template.spec;
    spec.initContainers = [{ ...spec.containers[0], name: 'proxy', restartPolicy, resources: { requests: { memory: '64Mi' } } }];
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'web' },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] },
    };
    return [app, { source: 'app.yaml', object: hpa }];
  }

  const fired = (manifests: Manifest[]) => validateManifests(manifests).violations.filter((v) => v.rule.id === 'HPA-METRIC-REQUESTS').map((v) => v.message);

  test('a native sidecar without the request leaves the HPA without its metric', () => {
    expect(fired(withSidecar('Always'))).toEqual(["cpu utilization needs a cpu request, and container 'proxy' of Deployment 'web' has none"]);
  });

  test('a plain init container does not count: it has finished when the HPA measures', () => {
    expect(fired(withSidecar(undefined))).toEqual([]);
  });
});

describe('looksLikeSecret', () => {
  test.each(['DB_PASSWORD', 'HF_TOKEN', 'OPENAI_API_KEY', 'AWS_SECRET_ACCESS_KEY', 'client-secret', 'GITHUB_APIKEY', 'dbPassword', 'HUGGING_FACE_HUB_TOKEN', 'API_KEY'])('%s is a credential', (name) => {
    expect(looksLikeSecret(name)).toBe(true);
  });

  test.each(['TOKENIZERS_PARALLELISM', 'MAX_TOKENS', 'LOG_LEVEL', 'KEYCLOAK_URL', 'PASSAGE_COUNT', 'DB_PASSWORD_FILE', 'SECRET_NAME', 'MAX_TOKEN_LENGTH', 'PAD_TOKEN', 'EOS_TOKEN_ID', 'TOKEN_URL', 'OIDC_TOKEN_ENDPOINT', 'PASSWORD_MIN_LENGTH', 'PASS_THROUGH'])('%s is not', (name) => {
    expect(looksLikeSecret(name)).toBe(false);
  });
});
