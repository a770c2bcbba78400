// The baseline the benchmark compares against: the obvious cdk8s-plus-28 app, one Chart
// per workload (Deployment + Service + HorizontalPodAutoscaler), synthesized by App.synth().
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';

const count = Number(process.env.BENCH_WORKLOADS ?? 10);
const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'bench/out/reference' });
for (let i = 0; i < count; i++) {
  const chart = new Chart(app, `workload-${i}`, { namespace: `ns-${i % 10}` });
  const deployment = new kplus.Deployment(chart, 'Deployment', {
    containers: [{
      image: `registry.example.com/ml/model-${i}:1.0.${i}`,
      portNumber: 8080,
      resources: { cpu: { request: kplus.Cpu.millis(500) }, memory: { request: Size.gibibytes(1) } },
    }],
  });
  deployment.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
  new kplus.HorizontalPodAutoscaler(chart, 'Autoscaler', {
    target: deployment,
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(50))],
  });
}
app.synth();
