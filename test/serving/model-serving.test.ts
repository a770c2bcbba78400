import { ModelServing, type ModelServingProps } from '../../lib';
import { container, only, synthConstruct, testChart } from '../helpers';

const requiredProps: ModelServingProps = { name: 'fraud-detector', image: 'registry.example.com/ml/fraud-detector:1.4.2' };

function synth(props: Partial<ModelServingProps> = {}) {
  return synthConstruct((scope, id, p: ModelServingProps) => new ModelServing(scope, id, p), { ...requiredProps, ...props });
}

function build(props: Partial<ModelServingProps> = {}) {
  return new ModelServing(testChart(), 'Workload', { ...requiredProps, ...props } as ModelServingProps);
}

describe('ModelServing', () => {
  test('default configuration', () => {
    expect(synth()).toMatchSnapshot();
  });

  test('creates a Deployment, a Service, an HPA and their hardening, named after the workload', () => {
    const objects = synth();
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'Deployment/fraud-detector', 'HorizontalPodAutoscaler/fraud-detector', 'NetworkPolicy/fraud-detector',
      'PodDisruptionBudget/fraud-detector', 'Service/fraud-detector', 'ServiceAccount/fraud-detector',
    ]);
  });

  test('exposes the objects it creates', () => {
    const serving = build();
    expect(serving.deployment.kind).toBe('Deployment');
    expect(serving.service.kind).toBe('Service');
    expect(serving.autoscaler?.kind).toBe('HorizontalPodAutoscaler');
  });

  test('resolves its defaults into config', () => {
    const { config } = build();
    expect(config.port).toBe(8080);
    expect(config.service).toEqual({ port: 8080, type: 'ClusterIP' });
    expect(config.autoscaling).toMatchObject({ minReplicas: 1, maxReplicas: 3, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] });
    expect(config.probes?.startupTimeoutSeconds).toBe(600);
    expect(config.requests).toEqual({ cpu: '500m', memory: '1Gi' });
  });

  test('objects carry no namespace when none is given', () => {
    expect(synth().every((o) => o.metadata.namespace === undefined)).toBe(true);
  });

  test('namespace is set on every object', () => {
    expect(synth({ namespace: 'ml-serving' }).every((o) => o.metadata.namespace === 'ml-serving')).toBe(true);
  });

  describe('replicas and autoscaling', () => {
    test('an autoscaled Deployment has no spec.replicas', () => {
      expect(only(synth(), 'Deployment').spec).not.toHaveProperty('replicas');
    });

    test('targetCPUUtilizationPercentage becomes a Resource cpu Utilization metric', () => {
      const hpa = only(synth({ autoscaling: { minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 50 } }), 'HorizontalPodAutoscaler');
      expect(hpa.apiVersion).toBe('autoscaling/v2');
      expect(hpa.spec.minReplicas).toBe(1);
      expect(hpa.spec.maxReplicas).toBe(10);
      expect(hpa.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }]);
    });

    test('the HPA targets the Deployment', () => {
      expect(only(synth(), 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'fraud-detector' });
    });

    test("the HPA behavior is Kubernetes' defaults, written out", () => {
      expect(only(synth(), 'HorizontalPodAutoscaler').spec.behavior).toEqual({
        scaleUp: {
          stabilizationWindowSeconds: 0,
          selectPolicy: 'Max',
          policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }, { type: 'Pods', value: 4, periodSeconds: 15 }],
        },
        scaleDown: { stabilizationWindowSeconds: 300, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
      });
    });

    test('a behavior given in part keeps the defaults for the rest', () => {
      const hpa = only(synth({ autoscaling: { behavior: { scaleDown: { stabilizationWindowSeconds: 600 } } } }), 'HorizontalPodAutoscaler');
      expect(hpa.spec.behavior.scaleDown).toEqual({ stabilizationWindowSeconds: 600, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
      expect(hpa.spec.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
    });

    test('fixed replicas: spec.replicas and no HPA', () => {
      const objects = synth({ replicas: 2 });
      expect(only(objects, 'Deployment').spec.replicas).toBe(2);
      expect(objects.some((o) => o.kind === 'HorizontalPodAutoscaler')).toBe(false);
    });

    test('fails when replicas and autoscaling are both set', () => {
      expect(() => build({ replicas: 2, autoscaling: { maxReplicas: 4 } })).toThrow(
        "replicas: 'replicas' (2) cannot be set together with 'autoscaling': the HPA owns the replica count, and a committed spec.replicas makes the HPA and Argo CD fight over it; remove 'replicas' and set 'autoscaling.minReplicas' instead",
      );
    });

    test('fails when maxReplicas is below minReplicas', () => {
      expect(() => build({ autoscaling: { minReplicas: 5, maxReplicas: 2 } })).toThrow(
        "autoscaling.maxReplicas: 'maxReplicas' (2) must be >= 'minReplicas' (5); raise maxReplicas or lower minReplicas",
      );
    });

    test('fails when minReplicas is above the default maxReplicas', () => {
      expect(() => build({ autoscaling: { minReplicas: 5 } })).toThrow(
        "autoscaling.minReplicas: 'maxReplicas' (3, the default) must be >= 'minReplicas' (5); raise maxReplicas or lower minReplicas",
      );
    });

    test('fails when minReplicas is 0 without a KEDA trigger, explaining the choice', () => {
      expect(() => build({ autoscaling: { minReplicas: 0 } })).toThrow(
        "autoscaling.minReplicas: 'minReplicas' is 0: scaling to zero needs KEDA (a HorizontalPodAutoscaler cannot), and KEDA needs a trigger that says when there is work; add one under 'autoscaling.triggers' (e.g. a prometheus query of the queue length), or set minReplicas to 1 or more to scale with the HPA",
      );
    });

    test('fails when a behavior limit is out of range', () => {
      expect(() => build({ autoscaling: { behavior: { scaleUp: { stabilizationWindowSeconds: 4000 } } } })).toThrow(
        'autoscaling.behavior.scaleUp.stabilizationWindowSeconds: must be <= 3600, got 4000',
      );
    });
  });

  describe('resources', () => {
    test('default requests make a CPU-utilization HPA computable', () => {
      expect(container(synth()).resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1Gi' } });
    });

    test('requests and limits are written as given', () => {
      const resources = { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } };
      expect(container(synth({ resources })).resources).toEqual(resources);
    });

    test('a limit alone sets the request, as in Kubernetes', () => {
      expect(container(synth({ resources: { limits: { cpu: '2' } } })).resources.requests.cpu).toBe('2');
    });

    test('numbers are written as quantity strings', () => {
      expect(container(synth({ resources: { requests: { cpu: 2 } } })).resources.requests.cpu).toBe('2');
    });

    test('a GPU limit is also its request', () => {
      const resources = container(synth({ resources: { limits: { 'nvidia.com/gpu': 1 } } })).resources;
      expect(resources.limits['nvidia.com/gpu']).toBe('1');
      expect(resources.requests['nvidia.com/gpu']).toBe('1');
    });

    test('fails when a request is above its limit', () => {
      expect(() => build({ resources: { requests: { memory: '4Gi' }, limits: { memory: '2Gi' } } })).toThrow(
        "resources.requests.memory: memory request (4Gi) is above its limit (2Gi); Kubernetes rejects such a pod: lower 'resources.requests.memory' or raise 'resources.limits.memory'",
      );
    });

    test('fails when a GPU request differs from its limit', () => {
      expect(() => build({ resources: { requests: { 'nvidia.com/gpu': 1 }, limits: { 'nvidia.com/gpu': 2 } } })).toThrow(
        'resources.requests["nvidia.com/gpu"]: ' + "'nvidia.com/gpu' cannot be overcommitted, so its request must equal its limit (request 1, limit 2); set it only in 'resources.limits'",
      );
    });

    test('a request equal to its limit in other units is accepted', () => {
      expect(container(synth({ resources: { requests: { cpu: '350m' }, limits: { cpu: '0.35' } } })).resources.requests.cpu).toBe('350m');
    });

    test('fails on huge pages of no page size', () => {
      expect(() => build({ resources: { limits: { 'hugepages-big': '2Mi' } } })).toThrow("resources.limits.hugepages-big: unknown resource 'hugepages-big'");
    });

    test('fails on an extended resource in the kubernetes.io domain', () => {
      expect(() => build({ resources: { limits: { 'kubernetes.io/widgets': 1 } } })).toThrow('resources.limits["kubernetes.io/widgets"]: unknown resource \'kubernetes.io/widgets\'');
    });

    test('fails when a GPU count is not a whole number', () => {
      expect(() => build({ resources: { limits: { 'nvidia.com/gpu': 0.5 } } })).toThrow(
        'resources.limits["nvidia.com/gpu"]: ' + "'nvidia.com/gpu' is an extended resource, which Kubernetes counts in whole units, got 0.5; use a whole number such as 1",
      );
    });

    test('huge pages are requested exactly as much as their limit', () => {
      const resources = container(synth({ resources: { requests: { 'hugepages-2Mi': '4Mi' } } })).resources;
      expect(resources.limits['hugepages-2Mi']).toBe('4Mi');
    });

    test('fails when huge pages are not a multiple of the page size', () => {
      expect(() => build({ resources: { limits: { 'hugepages-1Gi': '1.5Gi' } } })).toThrow(
        'resources.limits.hugepages-1Gi: hugepages-1Gi (1.5Gi) must be a multiple of the page size 1Gi',
      );
    });

    test('fails when memory is given in millibytes', () => {
      expect(() => build({ resources: { requests: { memory: '100m' } } })).toThrow(
        'resources.requests.memory: memory 100m is only 0.1 bytes; write memory in Mi or Gi (e.g. 512Mi), not m or plain numbers',
      );
    });

    test('fails when the cpu request is 0', () => {
      expect(() => build({ resources: { limits: { cpu: 0 } } })).toThrow(
        "resources.limits.cpu: cpu request is 0, so the HPA cannot compute CPU utilization (it shows <unknown>); request some cpu, e.g. '100m'",
      );
    });

    test('fails on a quantity that is not one', () => {
      expect(() => build({ resources: { requests: { cpu: 'half' } } })).toThrow(
        "resources.requests.cpu: 'half' is not a Kubernetes quantity; write e.g. 500m, 2, 1Gi or 512Mi",
      );
    });

    test('fails on an unknown resource name', () => {
      expect(() => build({ resources: { requests: { cpus: '1' } } })).toThrow(
        "resources.requests.cpus: unknown resource 'cpus'; use cpu, memory, ephemeral-storage, hugepages-<size> or an extended resource such as nvidia.com/gpu",
      );
    });
  });

  describe('probes', () => {
    test('TCP probes on the port by default', () => {
      const c = container(synth());
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        expect(c[probe].tcpSocket).toEqual({ port: 'http' });
      }
    });

    test('the startup probe allows 10 minutes for a model load by default', () => {
      const probe = container(synth()).startupProbe;
      expect(probe.periodSeconds * probe.failureThreshold).toBe(600);
    });

    test('startupTimeoutSeconds sets the startup budget', () => {
      const probe = container(synth({ probes: { startupTimeoutSeconds: 1800 } })).startupProbe;
      expect(probe.periodSeconds * probe.failureThreshold).toBe(1800);
    });

    test("progressDeadlineSeconds is never below Kubernetes' 600", () => {
      expect(only(synth({ probes: { startupTimeoutSeconds: 60 } }), 'Deployment').spec.progressDeadlineSeconds).toBe(600);
    });

    test('progressDeadlineSeconds is longer than the startup budget', () => {
      const deployment = only(synth({ probes: { startupTimeoutSeconds: 1800 } }), 'Deployment');
      expect(deployment.spec.progressDeadlineSeconds).toBe(2100);
    });

    test('path makes every probe an HTTP GET', () => {
      const c = container(synth({ probes: { path: '/healthz' } }));
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        expect(c[probe].httpGet).toEqual({ path: '/healthz', port: 'http', scheme: 'HTTP' });
      }
    });

    test('readinessPath and livenessPath override path', () => {
      const c = container(synth({ probes: { readinessPath: '/v2/health/ready', livenessPath: '/v2/health/live' } }));
      expect(c.readinessProbe.httpGet.path).toBe('/v2/health/ready');
      expect(c.startupProbe.httpGet.path).toBe('/v2/health/ready');
      expect(c.livenessProbe.httpGet.path).toBe('/v2/health/live');
    });

    test('fails when an HTTP path is given for a gRPC port', () => {
      expect(() => build({ protocol: 'grpc', probes: { path: '/healthz' } })).toThrow(
        "probes.path: an HTTP probe cannot check a gRPC port; remove 'probes.path' (the port is checked over TCP) or set 'protocol: http'",
      );
    });

    test('fails when a probe path does not start with /', () => {
      expect(() => build({ probes: { path: 'healthz' } })).toThrow("probes.path: 'healthz' is not an HTTP path; start it with '/' and leave out spaces");
    });
  });

  describe('ports and Service', () => {
    test('the container listens on 8080 by default and the Service forwards its port', () => {
      const objects = synth();
      expect(container(objects).ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
      expect(only(objects, 'Service').spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' }]);
    });

    test('service.port and service.type set the Service', () => {
      const service = only(synth({ port: 9000, service: { port: 80, type: 'LoadBalancer' } }), 'Service');
      expect(service.spec.type).toBe('LoadBalancer');
      expect(service.spec.ports[0].port).toBe(80);
    });

    test('service.nodePort pins the node port', () => {
      expect(only(synth({ service: { type: 'NodePort', nodePort: 30080 } }), 'Service').spec.ports[0].nodePort).toBe(30080);
    });

    test('fails when a node port is asked of a ClusterIP Service', () => {
      expect(() => build({ service: { nodePort: 30080 } })).toThrow("service.nodePort: 'nodePort' needs 'service.type' NodePort or LoadBalancer; a ClusterIP Service has no node port");
    });

    test('gRPC names the port grpc and marks it h2c', () => {
      const service = only(synth({ protocol: 'grpc' }), 'Service');
      expect(service.spec.ports[0]).toMatchObject({ name: 'grpc', targetPort: 'grpc', appProtocol: 'kubernetes.io/h2c' });
    });

    test('the Service selects the pods by labels derived from the name', () => {
      const objects = synth();
      const selector = only(objects, 'Service').spec.selector;
      expect(selector).toEqual({ 'app.kubernetes.io/name': 'fraud-detector', 'app.kubernetes.io/instance': 'fraud-detector' });
      expect(only(objects, 'Deployment').spec.selector.matchLabels).toEqual(selector);
      expect(only(objects, 'Deployment').spec.template.metadata.labels).toMatchObject(selector);
    });

    test('fails when a port is out of range', () => {
      expect(() => build({ port: 70000 })).toThrow('port: must be <= 65535, got 70000');
    });

    test('fails on an unknown Service type', () => {
      expect(() => build({ service: { type: 'External' as never } })).toThrow("service.type: must be one of ClusterIP, NodePort, LoadBalancer, got 'External'");
    });
  });

  describe('graceful shutdown', () => {
    test('a preStop pause lets endpoints drain before SIGTERM', () => {
      expect(container(synth()).lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '10'] } } });
    });

    test('fails when a grace period is shorter than the default pause', () => {
      expect(() => build({ terminationGracePeriodSeconds: 5 })).toThrow(
        "terminationGracePeriodSeconds: 'preStopSleepSeconds' (10, the default) must be less than 'terminationGracePeriodSeconds' (5)",
      );
    });

    test('preStopSleepSeconds 0 leaves the hook out', () => {
      expect(container(synth({ preStopSleepSeconds: 0 })).lifecycle).toBeUndefined();
    });

    test('the termination grace period covers the pause', () => {
      expect(only(synth(), 'Deployment').spec.template.spec.terminationGracePeriodSeconds).toBe(60);
    });

    test('rollouts never lower serving capacity', () => {
      expect(only(synth(), 'Deployment').spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } });
    });

    test('fails when the pause is not shorter than the grace period', () => {
      expect(() => build({ preStopSleepSeconds: 30, terminationGracePeriodSeconds: 30 })).toThrow(
        "preStopSleepSeconds: 'preStopSleepSeconds' (30) must be less than 'terminationGracePeriodSeconds' (30), or the server is killed before it can shut down; lower preStopSleepSeconds or raise terminationGracePeriodSeconds",
      );
    });
  });

  describe('Pod Security "restricted"', () => {
    test('the pod runs as non-root with RuntimeDefault seccomp and no token', () => {
      const pod = only(synth(), 'Deployment').spec.template.spec;
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    });

    test('the container drops every capability and cannot escalate', () => {
      expect(container(synth()).securityContext).toEqual({
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      });
    });

    test('/tmp is a writable emptyDir', () => {
      const objects = synth();
      expect(only(objects, 'Deployment').spec.template.spec.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
      expect(container(objects).volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
    });

    test('securityContext sets the user and group', () => {
      const pod = only(synth({ securityContext: { runAsUser: 1000, runAsGroup: 1000, fsGroup: 2000 } }), 'Deployment').spec.template.spec;
      expect(pod.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 2000 });
    });

    test('fails when runAsUser is root', () => {
      expect(() => build({ securityContext: { runAsUser: 0 } })).toThrow('securityContext.runAsUser: must not be 0: pods run as non-root; pick a non-zero UID such as 65532');
    });
  });

  describe('labels', () => {
    test('every object and the pod template carry the recommended labels', () => {
      const objects = synth();
      const expected = {
        'app.kubernetes.io/name': 'fraud-detector',
        'app.kubernetes.io/instance': 'fraud-detector',
        'app.kubernetes.io/component': 'model-server',
        'app.kubernetes.io/managed-by': 'cdk8s-ml',
        'app.kubernetes.io/version': '1.4.2',
      };
      for (const o of objects) expect(o.metadata.labels).toEqual(expected);
      expect(only(objects, 'Deployment').spec.template.metadata.labels).toEqual(expected);
    });

    test('names and selectors do not depend on the construct id', () => {
      const a = synthConstruct((s, _id, p: ModelServingProps) => new ModelServing(s, 'One', p), requiredProps);
      const b = synthConstruct((s, _id, p: ModelServingProps) => new ModelServing(s, 'Renamed', p), requiredProps);
      expect(b).toEqual(a);
    });

    test('labels are added to every object', () => {
      expect(synth({ labels: { team: 'risk' } }).every((o) => o.metadata.labels?.team === 'risk')).toBe(true);
    });

    test('fails when labels override the selector labels', () => {
      expect(() => build({ labels: { 'app.kubernetes.io/name': 'other' } })).toThrow(
        'labels["app.kubernetes.io/name"]: ' + "'app.kubernetes.io/name' is set by cdk8s-ml from the workload (it selects the pods); remove it from 'labels'",
      );
    });

    test('fails on an invalid label key or value', () => {
      expect(() => build({ labels: { 'bad key': 'x', team: 'risk team' } })).toThrow(
        /labels\["bad key"\]: 'bad key' is not a valid label key.*\n {2}labels.team: 'risk team' is not a valid label value/,
      );
    });

    test('a tag that is not a valid label value gives no version label', () => {
      const objects = synth({ image: `registry.example.com/ml/x:${'v'.repeat(64)}` });
      expect(only(objects, 'Deployment').metadata.labels).not.toHaveProperty('app.kubernetes.io/version');
    });

    test('a digest-only image has no version label', () => {
      const objects = synth({ image: `registry.example.com/ml/x@sha256:${'a'.repeat(64)}` });
      expect(only(objects, 'Deployment').metadata.labels).not.toHaveProperty('app.kubernetes.io/version');
    });
  });

  describe('container', () => {
    test('env keeps its order and writes literals as strings', () => {
      const env = container(synth({ env: { B: 'x', A: 1, C: true } })).env;
      expect(env).toEqual([{ name: 'B', value: 'x' }, { name: 'A', value: '1' }, { name: 'C', value: 'true' }]);
    });

    test('env reads Secrets, ConfigMaps and pod fields', () => {
      const env = container(synth({
        env: {
          TOKEN: { secretKeyRef: { name: 'hf', key: 'token' } },
          MODEL: { configMapKeyRef: { name: 'cfg', key: 'model', optional: true } },
          POD: { fieldRef: { fieldPath: 'metadata.name' } },
        },
      })).env;
      expect(env).toEqual([
        { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } },
        { name: 'MODEL', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'model', optional: true } } },
        { name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      ]);
    });

    test('command and args are passed through', () => {
      const c = container(synth({ command: ['python', '-m', 'serve'], args: ['--port', '8080'] }));
      expect(c.command).toEqual(['python', '-m', 'serve']);
      expect(c.args).toEqual(['--port', '8080']);
    });

    test('the image is pulled only when missing: tags are pinned', () => {
      expect(container(synth())).toMatchObject({ image: requiredProps.image, imagePullPolicy: 'IfNotPresent' });
    });
  });

  describe('input errors', () => {
    test('fails on an image without a tag', () => {
      expect(() => build({ image: 'registry.example.com/ml/x' })).toThrow(
        "image: 'registry.example.com/ml/x' has no tag, so it means ':latest'; pin a version tag (e.g. registry.example.com/ml/x:1.0.0) or a digest (registry.example.com/ml/x@sha256:...)",
      );
    });

    test('fails on a :latest image', () => {
      expect(() => build({ image: 'x:latest' })).toThrow("image: 'x:latest' uses ':latest', which changes under the same manifest; pin a version tag or a digest (@sha256:...)");
    });

    test('fails on a name that is not a DNS-1035 label', () => {
      expect(() => build({ name: 'Fraud_Detector' })).toThrow(
        "name: 'Fraud_Detector' is not a DNS-1035 label; use lowercase letters, digits and '-', starting with a letter and ending with a letter or digit",
      );
    });

    test('fails on a name longer than 63 characters', () => {
      expect(() => build({ name: 'a'.repeat(64) })).toThrow('name: must be at most 63 characters (a DNS-1035 label)');
    });

    test('fails on an invalid namespace', () => {
      expect(() => build({ namespace: 'ML' })).toThrow("namespace: 'ML' is not a DNS-1123 label; use lowercase letters, digits and '-', starting and ending with a letter or digit");
    });

    test('fails on an unknown key and suggests the one meant', () => {
      expect(() => build({ autoscalling: {} } as never)).toThrow("autoscalling: unknown key 'autoscalling'; did you mean 'autoscaling'?");
    });

    test('fails on a wrong type', () => {
      expect(() => build({ autoscaling: { maxReplicas: 'ten' as never } })).toThrow("autoscaling.maxReplicas: must be a number, got 'ten'");
    });

    test('fails on an invalid environment variable name', () => {
      expect(() => build({ env: { '1BAD': 'x' } })).toThrow(
        "env.1BAD: '1BAD' is not a valid environment variable name; use letters, digits, '_', '-' and '.', not starting with a digit",
      );
    });

    test('reports the rules that relate fields even when another field is malformed', () => {
      expect(() => build({ image: 'x', autoscaling: { minReplicas: 4, maxReplicas: 2 } })).toThrow(
        /image: 'x' has no tag.*\n {2}autoscaling.maxReplicas: 'maxReplicas' \(2\) must be >= 'minReplicas' \(4\)/,
      );
    });

    test('fails on an env reference of an unknown kind', () => {
      expect(() => build({ env: { T: { secretRef: { name: 's' } } } as never })).toThrow(
        'env.T: must be a string, a number, a boolean (true or false) or a mapping with one of secretKeyRef, configMapKeyRef, fieldRef, got a mapping with secretRef',
      );
    });

    test('fails on an env value that references two sources', () => {
      expect(() => build({ env: { T: { secretKeyRef: { name: 's', key: 'k' }, configMapKeyRef: { name: 'c', key: 'k' } } } as never })).toThrow(
        'env.T: set exactly one of secretKeyRef, configMapKeyRef, fieldRef; got secretKeyRef and configMapKeyRef',
      );
    });

    test('suggests a key whatever its case', () => {
      expect(() => build({ IMAGE: 'x:1' } as never)).toThrow("IMAGE: unknown key 'IMAGE'; did you mean 'image'?");
    });

    test('fails on an empty string where a name is needed', () => {
      expect(() => build({ env: { T: { secretKeyRef: { name: '', key: 'k' } } } })).toThrow('env.T.secretKeyRef.name: must not be empty');
    });

    test('fails on a Secret reference without a key', () => {
      expect(() => build({ env: { T: { secretKeyRef: { name: 's' } } } as never })).toThrow('env.T.secretKeyRef.key: is required (a string)');
    });

    test('lists every problem at once', () => {
      expect(() => build({ image: 'x', port: 0, replicas: -1 })).toThrow(/image: .*\n {2}port: .*\n {2}replicas: /);
    });
  });
});
