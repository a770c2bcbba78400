import { formatSimulateTable, runSimulateBenchmark } from '../../bench/simulate';

// A smoke run of npm run bench:simulate at a tiny size: it measures, it does not judge speed.
test('times a week of one workload, the same through npm run simulate, and every workload of a fleet over a day', () => {
  const result = runSimulateBenchmark(5, 1);
  expect(result.weekInProcess.median).toBeGreaterThan(0);
  expect(result.weekCommand.median).toBeGreaterThan(0);
  // The bench's mixed fleet: servers and workers are autoscaled, nightly jobs are not.
  expect(result.fleet.workloads).toBe(5);
  expect(result.fleet.simulated).toBeGreaterThan(0);
  expect(result.fleet.simulated).toBeLessThan(5);
  expect(formatSimulateTable(result)).toMatch(/^\| every workload of a 5-workload fleet \(\d autoscaled\), a day each, in process \| [\d.]+ \([\d.-]+\) \|$/m);
}, 120_000);
