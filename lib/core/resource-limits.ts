import { compareQuantities } from './quantity';
import type { Quantity } from './workload-props';

// How a container's request of a resource relates to its limit, as the API server
// checks it: read by the props checks (lib/pod/resources.ts) and the policy rule
// REQUESTS-WITHIN-LIMITS (lib/validation/rules/workloads.ts).

const HUGEPAGES_PREFIX = 'hugepages-';

/** The page size of a huge pages resource (`hugepages-2Mi` -> `2Mi`); undefined for any other resource. */
export function hugePageSize(resource: string): string | undefined {
  return resource.startsWith(HUGEPAGES_PREFIX) ? resource.slice(HUGEPAGES_PREFIX.length) : undefined;
}

/** Whether `resource` is an extended resource (`nvidia.com/gpu`): a name with a domain. */
export function isExtendedResource(resource: string): boolean {
  return resource.includes('/');
}

/** Extended resources (GPUs) and huge pages cannot be overcommitted: their request is their limit. */
export function cannotOvercommit(resource: string): boolean {
  return isExtendedResource(resource) || hugePageSize(resource) !== undefined;
}

/**
 * What the API server rejects in a request of `resource` against its limit: `no-limit`
 * (a resource that cannot be overcommitted, requested without a limit), `unequal` (such
 * a resource, requested differently from its limit), `above-limit`; undefined when it
 * takes them.
 */
export function requestLimitProblem(resource: string, request: Quantity, limit: Quantity | undefined): 'no-limit' | 'unequal' | 'above-limit' | undefined {
  if (limit === undefined) return cannotOvercommit(resource) ? 'no-limit' : undefined;
  const order = compareQuantities(request, limit);
  if (cannotOvercommit(resource) && order !== 0) return 'unequal';
  return order > 0 ? 'above-limit' : undefined;
}
