import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IVolume } from 'kubernetes-models/v1/Volume';

/** Where a model comes from, parsed from its URI. */
export type ModelSource =
  | { readonly scheme: 's3' | 'gs'; readonly uri: string }
  | { readonly scheme: 'hf'; readonly repo: string; readonly revision?: string }
  | { readonly scheme: 'pvc'; readonly claim: string; readonly path: string };

const URI = /^(s3|gs|hf|pvc):\/\/(.+)$/;
const CLAIM = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `uri` is not a model location cdk8s-ml can use, or undefined. */
export function modelUriProblem(uri: string): string | undefined {
  const match = URI.exec(uri);
  if (!match) return `'${uri}' is not a model URI; use s3://bucket/path, gs://bucket/path, hf://org/repo[@revision] or pvc://claim/path`;
  const [, scheme, rest] = match;
  if (scheme === 'hf' && !/^[\w.-]+\/[\w.-]+(@[\w./-]+)?$/.test(rest)) return `'${uri}' is not a Hugging Face model; write hf://org/repo or hf://org/repo@revision`;
  if (scheme === 'pvc' && !CLAIM.test(rest.split('/')[0])) return `'${uri}' does not start with a PersistentVolumeClaim name; write pvc://claim/path`;
  if (scheme === 'pvc' && rest.split('/').some((s) => s === '..' || s === '.')) return `'${uri}' climbs out of the volume with '..' or '.'; give the path inside the claim`;
  return undefined;
}

/** The parts of a valid model URI. */
export function parseModelUri(uri: string): ModelSource {
  const [, scheme, rest] = URI.exec(uri)!;
  if (scheme === 'hf') {
    const [repo, revision] = rest.split('@');
    return { scheme, repo, revision };
  }
  if (scheme === 'pvc') {
    const [claim, ...path] = rest.split('/');
    return { scheme, claim, path: path.join('/') };
  }
  return { scheme: scheme as 's3' | 'gs', uri };
}

// Pinned, so that a Git commit says what downloads the model.
export const DEFAULT_DOWNLOADER_IMAGES = {
  s3: 'docker.io/amazon/aws-cli:2.17.0',
  gs: 'gcr.io/google.com/cloudsdktool/google-cloud-cli:487.0.0-slim',
} as const;

const GCP_KEY_DIR = '/var/run/secrets/model-credentials';

/** The command that copies the model into `target`. */
export function downloadCommand(source: Exclude<ModelSource, { scheme: 'pvc' }>, target: string): string[] {
  switch (source.scheme) {
    case 's3': return ['aws', 's3', 'sync', '--only-show-errors', source.uri, target];
    case 'gs': return ['gcloud', 'storage', 'rsync', '--recursive', source.uri, target];
    // huggingface_hub's Python API: its CLI was renamed in 1.0, the library call was not.
    case 'hf': return ['python3', '-c', 'import sys; from huggingface_hub import snapshot_download; snapshot_download(sys.argv[1], revision=sys.argv[2] or None, local_dir=sys.argv[3])', source.repo, source.revision ?? '', target];
  }
}

/** How the downloader reads its credentials from the existing Secret. */
export function downloaderCredentials(scheme: 's3' | 'gs' | 'hf', secret: string): Pick<IContainer, 'envFrom' | 'env' | 'volumeMounts'> & { volume?: IVolume } {
  if (scheme === 'gs') {
    return {
      // gcloud reads its key from here (GOOGLE_APPLICATION_CREDENTIALS is for the client libraries).
      env: [{ name: 'CLOUDSDK_AUTH_CREDENTIAL_FILE_OVERRIDE', value: `${GCP_KEY_DIR}/key.json` }],
      volumeMounts: [{ name: 'model-credentials', mountPath: GCP_KEY_DIR, readOnly: true }],
      volume: { name: 'model-credentials', secret: { secretName: secret } },
    };
  }
  // AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or HF_TOKEN, as the Secret's keys.
  return { envFrom: [{ secretRef: { name: secret } }] };
}
