import { step } from '../core/steps';

// How npm run simulate models a pod of the workload: read and defaulted here. Nothing
// of it reaches the manifests.

/** The pod model's settings with their defaults. */
export interface ResolvedSimulation {
  readonly podCapacity: number;
  readonly podStartupSeconds: number;
}

export const DEFAULT_POD_CAPACITY = 1;
export const DEFAULT_POD_STARTUP_SECONDS = 60;

export const simulationStep = step(['simulation'], (props): ResolvedSimulation => ({
  podCapacity: props.simulation?.podCapacity ?? DEFAULT_POD_CAPACITY,
  podStartupSeconds: props.simulation?.podStartupSeconds ?? DEFAULT_POD_STARTUP_SECONDS,
}));
