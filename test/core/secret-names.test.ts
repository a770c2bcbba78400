import { isNotACredential, looksLikeSecret } from '../../lib/core/secret-names';

describe('looksLikeSecret', () => {
  test.each([
    'DB_PASS', 'DB_PASSWORD2', 'PWD_DB', 'SECRET_ID', 'SIGNING_KEY', 'ENCRYPTION_KEY', 'GITHUB_PAT', 'DB_PASSPHRASE',
    'db-password', 'dbPassword2', 'secretId', 'REGISTRY_CREDS', 'JWT_KEY',
  ])('%s is a credential', (name) => {
    expect(looksLikeSecret(name)).toBe(true);
  });

  // The names Polaris's sensitiveContainerEnvVar check flags, as written in its check.
  test.each([
    'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'GOOGLE_APPLICATION_CREDENTIALS', 'AZURE_BATCH_KEY', 'AZURE_STORAGE_ACCOUNT_KEY',
    'OCI_CLI_KEY_CONTENT', 'MYSQL_PASSWORD', 'SLACK_TOKEN', 'BEARER', 'CLIENT_SECRET',
  ])('%s, which Polaris flags, is a credential', (name) => {
    expect(looksLikeSecret(name)).toBe(true);
  });

  // What ML workloads set that merely mentions tokens, keys and passwords.
  test.each([
    'MAX_TOKENS', 'MAX_NEW_TOKENS', 'TOKENIZERS_PARALLELISM', 'PAD_TOKEN', 'EOS_TOKEN_ID', 'TOKEN_BUDGET', 'HF_HUB_ENABLE_HF_TRANSFER',
    'MODEL_PATH', 'S3_KEY', 'CACHE_KEY', 'PARTITION_KEY', 'ROUTING_KEY', 'PASS_THROUGH', 'PASSAGE_COUNT', 'DB_PASSWORD_FILE',
    'SECRET_NAME', 'OPENAI_API_KEY_ENV', 'password-stdin', 'AZURE_REGION',
  ])('%s is not', (name) => {
    expect(looksLikeSecret(name)).toBe(false);
  });
});

describe('isNotACredential', () => {
  test.each(['', ' ', 'true', 'False', 'yes', '$(DB_PASSWORD)', '$(A)$(B)', '${TOKEN}', '$TOKEN', '$(cat /run/secrets/db)', '/var/run/secrets/key.json'])('%j is not a credential', (value) => {
    expect(isNotACredential(value)).toBe(true);
  });

  test.each(['hunter2', '$3cr3t', 'changeme', '1234'])('%j may be one', (value) => {
    expect(isNotACredential(value)).toBe(false);
  });
});
