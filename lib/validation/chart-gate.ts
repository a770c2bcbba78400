import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { K8sObject, Manifest } from './manifest';
import { formatViolation, validateManifests } from './validate-manifests';

/** Per chart: whether it has the gate, and the workloads whose own findings it leaves out (`validation: false`). */
const gates = new WeakMap<Chart, { installed: boolean; readonly exempt: Set<Construct> }>();

/**
 * Puts the schema and policy checks of `npm run validate` on `workload`'s chart, once per
 * chart: cdk8s runs a construct's validations when the app synthesizes (`app.synth()`,
 * `app.synthYaml()`), and fails with one line per violation. The gate sees every object of
 * the chart as it will be written (JSON patches applied, hand-added ApiObjects included), so
 * the rules that relate objects (a Service and its pods, an autoscaler and its target) hold
 * across the chart. A workload with `validation: false` is still seen by the others, but its
 * own findings are not reported; a chart whose workloads all say so has no gate. Warnings
 * never fail the synth. The workload-file app renders the objects itself, so it never runs
 * this (it validates the whole fleet once).
 */
export function gateChart(workload: Construct, enabled: boolean): void {
  const chart = Chart.of(workload);
  let gate = gates.get(chart);
  if (gate === undefined) {
    gate = { installed: false, exempt: new Set() };
    gates.set(chart, gate);
  }
  if (!enabled) {
    gate.exempt.add(workload);
  } else if (!gate.installed) {
    gate.installed = true;
    const exempt = gate.exempt;
    chart.node.addValidation({ validate: () => chartViolations(chart, exempt) });
  }
}

/** The violations of the objects of `chart`, formatted as `npm run validate` prints them. */
function chartViolations(chart: Chart, exempt: ReadonlySet<Construct>): string[] {
  const owners = new Map<Manifest, Construct>();
  const manifests: Manifest[] = [];
  for (const construct of chart.node.findAll()) {
    if (!(construct instanceof ApiObject)) continue;
    const manifest: Manifest = { object: construct.toJson() as K8sObject, source: construct.node.path };
    manifests.push(manifest);
    owners.set(manifest, construct);
  }
  const reported = (manifest: Manifest) => !owners.get(manifest)!.node.scopes.some((scope) => exempt.has(scope));
  return validateManifests(manifests).violations.filter((v) => reported(v.manifest)).map(formatViolation);
}
