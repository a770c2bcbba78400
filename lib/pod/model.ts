import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import { quantityString } from '../core/quantity';
import { type ModelSource, parseModelUri } from '../core/model-uri';
import { step } from '../core/steps';

// A workload's model weights: the URI read, defaulted and checked here; the volumes and
// the downloader rendered by the pod template with the commands below.

// Pinned, so that a Git commit says what downloads the model.
const DEFAULT_DOWNLOADER_IMAGES = {
  s3: 'docker.io/amazon/aws-cli:2.17.0',
  gs: 'gcr.io/google.com/cloudsdktool/google-cloud-cli:487.0.0-slim',
} as const;

/** Model settings with defaults resolved. */
export interface ResolvedModel {
  readonly source: ModelSource;
  readonly mountPath: string;
  readonly credentialsSecret?: string;
  /** The downloader's image; undefined for a PersistentVolumeClaim, which is mounted. */
  readonly downloaderImage?: string;
  readonly sizeLimit?: string;
  readonly downloadTimeoutSeconds: number;
}

const DEFAULT_MODEL_PATH = '/models';
const DEFAULT_DOWNLOAD_TIMEOUT_SECONDS = 1800;

/** The model, undefined without one; an hf:// model is downloaded with the workload's image by default. */
export const modelStep = step(['model', 'image'], (props, { issues }): ResolvedModel | undefined => {
  const model = props.model;
  if (!model) return undefined;
  const source = parseModelUri(model.uri);
  if (source.scheme === 'pvc') {
    for (const key of ['credentialsSecret', 'downloaderImage', 'sizeLimit', 'downloadTimeoutSeconds'] as const) {
      if (model[key] !== undefined) issues.push({ path: ['model', key], message: `a pvc:// model is mounted, not downloaded, so '${key}' does not apply; remove it` });
    }
  }
  return {
    source,
    mountPath: model.mountPath ?? DEFAULT_MODEL_PATH,
    credentialsSecret: model.credentialsSecret,
    downloaderImage: source.scheme === 'pvc' ? undefined : model.downloaderImage ?? (source.scheme === 'hf' ? props.image : DEFAULT_DOWNLOADER_IMAGES[source.scheme]),
    sizeLimit: model.sizeLimit === undefined ? undefined : quantityString(model.sizeLimit),
    downloadTimeoutSeconds: model.downloadTimeoutSeconds ?? DEFAULT_DOWNLOAD_TIMEOUT_SECONDS,
  };
});

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
