import type { IScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import type { ITriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1/TriggerAuthentication';
import type { IPodMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PodMonitor';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { Construct } from 'constructs';
import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IJob } from 'kubernetes-models/batch/v1/Job';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { horizontalPodAutoscalerSpec } from '../autoscaling/horizontal-pod-autoscaler';
import { existingAuthenticationAnnotations, type ResolvedTriggerAuthentication, scaledObjectSpec, triggerAuthenticationSpec } from '../autoscaling/keda';
import { argoCdAnnotations } from '../gitops/sync-waves';
import { disruptionBudgetSpec } from '../hardening/disruption-budget';
import { networkPolicySpec } from '../hardening/network-policy';
import { podMonitorSpec, serviceMonitorSpec } from '../monitoring/monitors';
import { cronJobSpec, jobSpec, type ScaledJobObject, scaledJobSpec } from '../pipeline/job';
import { KubeObject, type ObjectMeta } from '../kube/kube-object';
import { podTemplate, portName } from '../pod/pod-template';
import { gateChart } from '../validation/chart-gate';
import type { ResolvedAutoscaling } from '../autoscaling/resolve-autoscaling';
import type { WorkloadProfile } from '../core/profile';
import { resolveWorkload, type ResolvedWorkload } from './resolve';
import type { ResolvedMetrics } from '../monitoring/resolve-monitoring';
import type { WorkloadProps } from '../core/workload-props';

/**
 * A Deployment, a Service when the workload has a port, and an autoscaler
 * unless the replica count is fixed; or, in a batch mode, a Job, CronJob or
 * KEDA ScaledJob. ModelServing and MlPipeline are this with their own defaults.
 */
export abstract class Workload extends Construct {
  /** The props with every default resolved. */
  public readonly config: ResolvedWorkload;
  /** The Deployment, in mode worker. */
  public readonly deployment?: KubeObject<IDeployment>;
  /** The Job, in mode job. */
  public readonly job?: KubeObject<IJob>;
  /** The CronJob, in mode cronjob. */
  public readonly cronJob?: KubeObject<ICronJob>;
  /** The KEDA ScaledJob, in mode queue-job. */
  public readonly scaledJob?: KubeObject<ScaledJobObject>;
  /** The Service, when the workload has a port. */
  public readonly service?: KubeObject<IService>;
  /** The autoscaler, unless `replicas` fixes the replica count: a HorizontalPodAutoscaler, or a KEDA ScaledObject. */
  public readonly autoscaler?: KubeObject<IHorizontalPodAutoscaler> | KubeObject<IScaledObject>;
  /** The KEDA TriggerAuthentications generated for triggers' `authentication`. */
  public readonly triggerAuthentications: readonly KubeObject<ITriggerAuthentication>[];
  /** The workload's own ServiceAccount, unless `serviceAccountName` names an existing one. */
  public readonly serviceAccount?: KubeObject<IServiceAccount>;
  /** The PodDisruptionBudget, when the workload can run more than one pod (or one is asked for). */
  public readonly disruptionBudget?: KubeObject<IPodDisruptionBudget>;
  /** The NetworkPolicy, unless turned off. */
  public readonly networkPolicy?: KubeObject<INetworkPolicy>;
  /** The Prometheus Operator ServiceMonitor (with a Service) or PodMonitor, when the workload declares `metrics`. */
  public readonly monitor?: KubeObject<IServiceMonitor> | KubeObject<IPodMonitor>;

  protected constructor(scope: Construct, id: string, props: WorkloadProps, profile: WorkloadProfile) {
    const { validation = true, ...workloadProps } = props;
    const config = resolveWorkload(workloadProps, profile);
    super(scope, id);
    gateChart(this, validation);
    this.config = config;
    const { job, cron, autoscaling } = config;
    switch (config.mode) {
      case 'worker':
        this.deployment = this.createDeployment();
        this.service = config.service && this.createService(config.service);
        this.autoscaler = autoscaling && this.createAutoscaler(autoscaling);
        break;
      case 'job':
        this.job = new KubeObject<IJob>(this, 'Job', { apiVersion: 'batch/v1', kind: 'Job', metadata: this.metadata('Job'), spec: jobSpec(config, job!) });
        break;
      case 'cronjob':
        this.cronJob = new KubeObject<ICronJob>(this, 'CronJob', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: this.metadata('CronJob'), spec: cronJobSpec(config, job!, cron!) });
        break;
      case 'queue-job':
        if (autoscaling?.engine !== 'keda') throw new Error(`queue-job '${config.name}' resolved without KEDA autoscaling`);
        this.scaledJob = new KubeObject<ScaledJobObject>(this, 'ScaledJob', {
          apiVersion: 'keda.sh/v1alpha1',
          kind: 'ScaledJob',
          metadata: this.metadata('ScaledJob', existingAuthenticationAnnotations(autoscaling)),
          spec: scaledJobSpec(config, job!, autoscaling),
        });
        break;
    }
    this.triggerAuthentications = config.autoscaling?.engine === 'keda' ? config.autoscaling.authentications.map((a) => this.createTriggerAuthentication(a)) : [];
    this.serviceAccount = config.serviceAccount.create ? this.createServiceAccount() : undefined;
    this.disruptionBudget = config.disruptionBudget && new KubeObject<IPodDisruptionBudget>(this, 'DisruptionBudget', {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: this.metadata('PodDisruptionBudget'),
      spec: disruptionBudgetSpec(config, config.disruptionBudget),
    });
    this.networkPolicy = config.networkPolicy && new KubeObject<INetworkPolicy>(this, 'NetworkPolicy', {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: this.metadata('NetworkPolicy'),
      spec: networkPolicySpec(config, config.networkPolicy),
    });
    this.monitor = config.metrics && this.createMonitor(config.metrics);
  }

  /** The Kubernetes objects this workload created, the workload itself first. */
  public get objects(): KubeObject[] {
    return [
      this.deployment, this.job, this.cronJob, this.scaledJob, this.service, this.autoscaler, ...this.triggerAuthentications,
      this.serviceAccount, this.disruptionBudget, this.networkPolicy, this.monitor,
    ]
      .filter((o): o is NonNullable<typeof o> => o !== undefined);
  }

  /** The workload's name: `metadata.name` of each of its objects. */
  public get name(): string {
    return this.config.name;
  }

  /** The metadata of the workload's object of `kind`: `extra` annotations, then the workload's own (its policy exceptions win). */
  private metadata(kind: string, extra: Readonly<Record<string, string>> = {}): ObjectMeta {
    const all = { ...argoCdAnnotations(kind), ...extra, ...this.config.annotations };
    const annotations = Object.keys(all).length > 0 ? all : undefined;
    return { name: this.config.name, namespace: this.config.namespace, labels: { ...this.config.labels }, annotations };
  }

  private createServiceAccount(): KubeObject<IServiceAccount> {
    const metadata = this.metadata('ServiceAccount');
    const annotations = { ...metadata.annotations, ...this.config.serviceAccount.annotations };
    return new KubeObject<IServiceAccount>(this, 'ServiceAccount', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { ...metadata, annotations: Object.keys(annotations).length > 0 ? annotations : undefined },
      automountServiceAccountToken: this.config.serviceAccount.automountToken,
    });
  }

  private createMonitor(metrics: ResolvedMetrics): KubeObject<IServiceMonitor> | KubeObject<IPodMonitor> {
    const apiVersion = 'monitoring.coreos.com/v1';
    const base = this.metadata(metrics.scrape === 'service' ? 'ServiceMonitor' : 'PodMonitor');
    const metadata = { ...base, labels: { ...base.labels, ...metrics.labels } };
    return metrics.scrape === 'service'
      ? new KubeObject<IServiceMonitor>(this, 'Monitor', { apiVersion, kind: 'ServiceMonitor', metadata, spec: serviceMonitorSpec(this.config, metrics) })
      : new KubeObject<IPodMonitor>(this, 'Monitor', { apiVersion, kind: 'PodMonitor', metadata, spec: podMonitorSpec(this.config, metrics) });
  }

  private createDeployment(): KubeObject<IDeployment> {
    const config = this.config;
    return new KubeObject<IDeployment>(this, 'Deployment', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: this.metadata('Deployment'),
      spec: {
        // Absent when autoscaled: the HPA owns the count, and GitOps must not reset it.
        replicas: config.replicas,
        selector: { matchLabels: { ...config.selectorLabels } },
        progressDeadlineSeconds: config.progressDeadlineSeconds,
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: config.rollout.maxSurge, maxUnavailable: config.rollout.maxUnavailable },
        },
        template: podTemplate(config),
      },
    });
  }

  private createService(service: NonNullable<ResolvedWorkload['service']>): KubeObject<IService> {
    const name = portName(this.config);
    const metrics = this.config.metrics;
    return new KubeObject<IService>(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: this.metadata('Service'),
      spec: {
        type: service.type,
        selector: { ...this.config.selectorLabels },
        ports: [{
          name,
          port: service.port,
          targetPort: name,
          nodePort: service.nodePort,
          protocol: 'TCP',
          appProtocol: this.config.protocol === 'grpc' ? 'kubernetes.io/h2c' : 'http',
        }, ...(metrics?.ownPort && metrics.scrape === 'service' ? [{
          name: metrics.portName,
          port: metrics.port,
          targetPort: metrics.portName,
          protocol: 'TCP' as const,
          appProtocol: 'http',
        }] : [])],
      },
    });
  }

  private createAutoscaler(autoscaling: ResolvedAutoscaling): KubeObject<IHorizontalPodAutoscaler> | KubeObject<IScaledObject> {
    if (autoscaling.engine === 'keda') {
      return new KubeObject<IScaledObject>(this, 'Autoscaler', {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: this.metadata('ScaledObject', existingAuthenticationAnnotations(autoscaling)),
        spec: scaledObjectSpec(this.config.name, autoscaling),
      });
    }
    return new KubeObject<IHorizontalPodAutoscaler>(this, 'Autoscaler', {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: this.metadata('HorizontalPodAutoscaler'),
      spec: horizontalPodAutoscalerSpec(this.config.name, autoscaling),
    });
  }

  private createTriggerAuthentication(auth: ResolvedTriggerAuthentication): KubeObject<ITriggerAuthentication> {
    // Named after the workload and the trigger's position, never after a construct id.
    return new KubeObject<ITriggerAuthentication>(this, `TriggerAuthentication${auth.name.slice(this.config.name.length)}`, {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'TriggerAuthentication',
      metadata: { ...this.metadata('TriggerAuthentication'), name: auth.name },
      spec: triggerAuthenticationSpec(auth),
    });
  }
}
