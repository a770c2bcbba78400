import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { K8sObject, Manifest } from './manifest';
import { formatViolation, validateManifests } from './validate-manifests';

/** Per chart: whether it has the gate, and the workloads whose findings it reports. */
const gates = new WeakMap<Chart, { installed: boolean; readonly gated: Set<Construct> }>();

/**
 * Puts the schema and policy checks of `npm run validate` on `workload`'s chart, once per
 * chart: cdk8s runs a construct's validations when the app synthesizes (`app.synth()`,
 * `app.synthYaml()`), and fails with one line per violation. The gate reports the findings
 * of the chart's own cdk8s-ml workloads (the objects they create, as they will be written:
 * JSON patches applied), checked with every object of the chart in view, so that the rules
 * that relate objects (a Service and its pods, an autoscaler and its target) see the
 * objects you add yourself; those are not reported, and neither is a workload with
 * `validation: false` (nor one of a chart nested inside, which its own chart's gate
 * reports). Warnings never fail the synth. The workload-file app renders the objects
 * itself, so it never runs this (it validates the whole fleet once).
 */
export function gateChart(workload: Construct, enabled: boolean): void {
  if (!enabled) return;
  const chart = Chart.of(workload);
  let gate = gates.get(chart);
  if (gate === undefined) {
    gate = { installed: false, gated: new Set() };
    gates.set(chart, gate);
  }
  gate.gated.add(workload);
  if (!gate.installed) {
    gate.installed = true;
    const gated = gate.gated;
    chart.node.addValidation({ validate: () => chartViolations(chart, gated) });
  }
}

/** The violations of the objects of `gated` workloads, with every object of `chart` in view, formatted as `npm run validate` prints them. */
function chartViolations(chart: Chart, gated: ReadonlySet<Construct>): string[] {
  const owners = new Map<Manifest, Construct>();
  const manifests: Manifest[] = [];
  for (const construct of chart.node.findAll()) {
    if (!(construct instanceof ApiObject)) continue;
    const manifest: Manifest = { object: construct.toJson() as K8sObject, source: construct.node.path };
    manifests.push(manifest);
    owners.set(manifest, construct);
  }
  const reported = (manifest: Manifest) => owners.get(manifest)!.node.scopes.some((scope) => gated.has(scope));
  return validateManifests(manifests).violations.filter((v) => reported(v.manifest)).map(formatViolation);
}
