import { GPU_RESOURCE, type ResolvedGpu } from './gpu';
import { compareQuantities, isMultipleOf, quantityString, quantityValue } from '../core/quantity';
import { cannotOvercommit, hugePageSize, isExtendedResource, requestLimitProblem } from '../core/resource-limits';
import { step } from '../core/steps';
import type { Quantity } from '../core/workload-props';

// Requests default from the kind, or from a limit the way Kubernetes does;
// a memory limit defaults to the request so a pod is never OOM-killed for
// using what it asked for. A resource that cannot be overcommitted (GPUs, huge
// pages: see lib/core/resource-limits.ts) gets its request as its limit.
export const resourcesStep = step(['resources', 'gpu'], (props, { profile, issues }, gpu: ResolvedGpu | undefined) => {
  const givenRequests = props.resources?.requests ?? {};
  const givenLimits: Readonly<Record<string, Quantity>> = { ...props.resources?.limits, ...(gpu && props.gpu ? { [GPU_RESOURCE]: gpu.count } : {}) };
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  const defaults: Record<string, string> = profile.defaultRequests;
  const names = [...new Set(['cpu', 'memory', ...Object.keys(givenRequests), ...Object.keys(givenLimits)])];
  for (const name of names) {
    const request: Quantity = givenRequests[name] ?? givenLimits[name] ?? defaults[name];
    const limit: Quantity | undefined = givenLimits[name] ?? (name === 'memory' || cannotOvercommit(name) ? request : undefined);
    requests[name] = quantityString(request);
    if (limit !== undefined) limits[name] = quantityString(limit);
    const where = (value: Quantity) => ['resources', value === givenRequests[name] ? 'requests' : 'limits', name];
    const problem = resourceProblem(name, request, limit);
    if (problem) issues.push({ path: where(request), message: problem });
  }
  if (gpu?.shmSize && limits.memory && compareQuantities(gpu.shmSize, limits.memory) >= 0) {
    issues.push({ path: ['gpu', 'shmSize'], message: `/dev/shm (${gpu.shmSize}) counts against the memory limit (${limits.memory}) and would leave the server nothing; raise 'resources.limits.memory' above it` });
  }
  return { requests, limits };
});

function resourceProblem(name: string, request: Quantity, limit: Quantity | undefined): string | undefined {
  const pageSize = hugePageSize(name);
  if (isExtendedResource(name) && !isMultipleOf(request, 1)) {
    return `'${name}' is an extended resource, which Kubernetes counts in whole units, got ${request}; use a whole number such as 1`;
  }
  if (pageSize !== undefined && !isMultipleOf(request, pageSize)) {
    return `${name} (${request}) must be a multiple of the page size ${pageSize}`;
  }
  if (name === 'memory' && compareQuantities(request, '1Mi') < 0) {
    return `memory ${request} is only ${quantityValue(request)} bytes; write memory in Mi or Gi (e.g. 512Mi), not m or plain numbers`;
  }
  if (name === 'cpu' && compareQuantities(request, 0) === 0) {
    return "cpu request is 0, so the HPA cannot compute CPU utilization (it shows <unknown>); request some cpu, e.g. '100m'";
  }
  // Never 'no-limit': the limit of a resource that cannot be overcommitted defaults to its request.
  const problem = requestLimitProblem(name, request, limit);
  if (problem === 'unequal') {
    return `'${name}' cannot be overcommitted, so its request must equal its limit (request ${request}, limit ${limit}); set it only in 'resources.limits'`;
  }
  if (problem === 'above-limit') {
    return `${name} request (${request}) is above its limit (${limit}); Kubernetes rejects such a pod: lower 'resources.requests.${name}' or raise 'resources.limits.${name}'`;
  }
  return undefined;
}
