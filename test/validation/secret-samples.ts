// Credentials of the forms the scanner must recognise, all made up. Each is put
// together at run time so that no secret scanner (a Git host's push protection
// included) mistakes this file for a leak.
const join = (...parts: string[]) => parts.join('');

const base64Lines = Array.from({ length: 6 }, (_, i) => `b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW${i}`).join('\n');

/** Literal credentials, by the name a careless manifest gives them. */
export const SAMPLES = {
  awsAccessKeyId: join('AKIA', 'Z7Q4W2MX3KBN5TPL'),
  awsSecretAccessKey: join('kQ9vX2mB7nR4tY1w', 'E6uI0oP5aS2dF9gH3jK8lZ4x'),
  databaseUrl: join('postgres://admin:', 'hunter5@db:5432/x'),
  githubPat: join('gh', 'p_', 'k3J9xQ2mZ8vB4nR7tY1wE6uI0oP5aS2dF9gH'),
  openAiKey: join('sk-', 'Ab3dEf6hIj9kLm2nOp5q', 'T3Blbk', 'FJ', 'Rs8tUv1wXy4zAb7cDe0f'),
  bearer: join('Bearer ', 'eyJhbGciOiJIUzI1NiJ9', '.eyJzdWIiOiJtbCJ9.c2lnbmF0dXJl'),
  slackWebhook: join('https://hooks.', 'slack.com/services/', 'T0ABCDEFG/B0ABCDEFG/', 'Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2'),
  openSshPrivateKey: join('-----BEGIN OPENSSH ', 'PRIVATE KEY-----\n', base64Lines, '\n-----END OPENSSH ', 'PRIVATE KEY-----\n'),
  amqpUrl: join('amqp://worker:', 'r4bb1t-pw@rabbitmq.queues:5672/'),
  huggingFaceToken: join('hf', '_', 'aBcDeFgHiJkLmNoPqRsTuVwXyZaBcDeFgH'),
};

/** Values ML workloads set that are no credential, with the names they go by. */
export const CLEAN: readonly [name: string, value: string][] = [
  ['MAX_TOKENS', '4096'],
  ['TOKENIZERS_PARALLELISM', 'false'],
  ['PAD_TOKEN', '<pad>'],
  ['HF_HUB_ENABLE_HF_TRANSFER', '1'],
  ['HF_HOME', '/tmp/hf'],
  ['MODEL_PATH', 's3://models/llama-3-8b-instruct/'],
  ['MODEL_URI', 'gs://bucket/model.safetensors'],
  ['TRACKING_URI', 'http://mlflow.mlops.svc:5000'],
  ['DB_PASSWORD', '$(DB_PASSWORD_FROM_SECRET)'],
  ['GOOGLE_APPLICATION_CREDENTIALS', '/var/run/secrets/gcp/key.json'],
  ['HF_TOKEN_PATH', '/var/run/secrets/hf/token'],
  ['LOG_LEVEL', 'info'],
];
