/** The file Kustomize reads in a folder; synth writes one into each environment folder. */
export const KUSTOMIZATION_FILE = 'kustomization.yaml';
/** Kustomize's configuration group: its files are not API objects. */
export const KUSTOMIZE_GROUP = 'kustomize.config.k8s.io';
/** apiVersion of the kustomization.yaml files synth writes. */
export const KUSTOMIZATION_API_VERSION = `${KUSTOMIZE_GROUP}/v1beta1`;
