/** The file Kustomize reads in a folder; synth writes one into each environment folder. */
export const KUSTOMIZATION_FILE = 'kustomization.yaml';
/** Kustomize's configuration group: its files are not API objects. */
export const KUSTOMIZE_GROUP = 'kustomize.config.k8s.io';
/** apiVersion of the kustomization.yaml files synth writes. */
export const KUSTOMIZATION_API_VERSION = `${KUSTOMIZE_GROUP}/v1beta1`;

/** Kustomize's name-reference configuration synth writes beside each kustomization.yaml (its `configurations`). */
export const KUSTOMIZE_CONFIG_FILE = 'kustomizeconfig.yaml';

/**
 * The fields of custom resources in synth's output that name another generated object,
 * which Kustomize does not know: with them, an overlay's namePrefix, nameSuffix or
 * namespace renames the references with the objects (KEDA's scale target and trigger
 * authentications). Kustomize reads this file strictly: no apiVersion or kind.
 */
export const NAME_REFERENCES = {
  nameReference: [
    { kind: 'Deployment', group: 'apps', fieldSpecs: [{ kind: 'ScaledObject', group: 'keda.sh', path: 'spec/scaleTargetRef/name' }] },
    {
      kind: 'TriggerAuthentication',
      group: 'keda.sh',
      fieldSpecs: [
        { kind: 'ScaledObject', group: 'keda.sh', path: 'spec/triggers/authenticationRef/name' },
        { kind: 'ScaledJob', group: 'keda.sh', path: 'spec/triggers/authenticationRef/name' },
      ],
    },
  ],
} as const;
