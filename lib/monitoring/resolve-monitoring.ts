import { step } from '../core/steps';
import type { PortProtocol } from '../core/workload-props';

// A workload's metrics scraping: read, defaulted and checked here, rendered by monitors.ts.

/** Metrics scraping with every default filled in. */
export interface ResolvedMetrics {
  readonly port: number;
  /** The container (and Service) port name the monitor scrapes. */
  readonly portName: string;
  /** True when the metrics have a port of their own, next to the serving port. */
  readonly ownPort: boolean;
  /** `service`: a ServiceMonitor through the workload's Service; `pod`: a PodMonitor, without a Service or when the Service is exposed outside the cluster. */
  readonly scrape: 'service' | 'pod';
  readonly path: string;
  readonly interval: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** What the scraping reads of the rest of the resolved workload: where it serves (the port and its protocol, and the Service). */
export interface ScrapeContext {
  readonly port?: number;
  readonly protocol: PortProtocol;
  readonly service?: { readonly port: number; readonly type: string };
}

const DEFAULT_METRICS_PATH = '/metrics';
const DEFAULT_SCRAPE_INTERVAL = '30s';
/** Name of a metrics port of its own. */
const METRICS_PORT_NAME = 'metrics';

/** How the metrics are scraped, undefined without any. */
export const metricsScrapingStep = step(['metrics'], (props, { issues }, { port, protocol }: ScrapeContext, service: ScrapeContext['service']): ResolvedMetrics | undefined => {
  const context = { port, protocol, service };
  const metrics = props.metrics;
  if (!metrics) return undefined;
  const ownPort = metrics.port !== context.port;
  if (!ownPort && context.protocol === 'grpc') {
    issues.push({ path: ['metrics', 'port'], message: `Prometheus scrapes over HTTP, and port ${metrics.port} speaks gRPC; serve the metrics on a port of their own` });
  }
  // A metrics port of its own never goes on a NodePort or LoadBalancer Service, out of the cluster.
  const scrape = context.service && (!ownPort || context.service.type === 'ClusterIP') ? 'service' : 'pod';
  if (ownPort && scrape === 'service' && context.service?.port === metrics.port) {
    issues.push({ path: ['metrics', 'port'], message: `the Service already listens on ${metrics.port} for the serving port; serve the metrics on another port, or on the container port ${context.port}` });
  }
  return {
    port: metrics.port,
    portName: ownPort ? METRICS_PORT_NAME : context.protocol,
    ownPort,
    scrape,
    path: metrics.path ?? DEFAULT_METRICS_PATH,
    interval: metrics.interval ?? DEFAULT_SCRAPE_INTERVAL,
    labels: metrics.labels ?? {},
  };
});
