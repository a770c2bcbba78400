import { lintSource } from '@secretlint/core';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import { IGNORED_MESSAGE_IDS, SCANNER_RULES, secretlintReports } from '../../lib/validation/secret-scan';
import { CLEAN, SAMPLES } from './secret-samples';

type ScanModule = typeof import('../../lib/validation/secret-scan');

/** A fresh copy of the scanner, with nothing remembered. */
function freshScanner(): ScanModule {
  let module: ScanModule | undefined;
  jest.isolateModules(() => {
    module = jest.requireActual<ScanModule>('../../lib/validation/secret-scan');
  });
  return module!;
}

/** What @secretlint/core reports in `content` with the configuration this project runs the preset with. */
async function libraryReports(content: string, ext: string) {
  const rules = [
    ...SCANNER_RULES.map(({ id, options }) => ({ id, options })),
    { id: '@secretlint/secretlint-rule-filter-comments', disabled: true },
  ];
  const result = await lintSource({
    source: { content, filePath: `value${ext || '.txt'}`, ext: ext || '.txt', contentType: 'text' },
    options: { config: { rules: [{ id: recommended.meta.id, rule: recommended, rules }] }, noPhysicFilePath: true },
  });
  return result.messages
    .filter((m) => !IGNORED_MESSAGE_IDS.includes(m.messageId))
    .map((m) => ({ rule: m.ruleId, messageId: m.messageId, range: [...m.range] }))
    .sort(byPosition);
}

/** Reports in order of position, then rule: secretlint's driver runs its rules concurrently. */
function byPosition(a: { rule: string; range: readonly number[] }, b: { rule: string; range: readonly number[] }): number {
  return a.range[0] - b.range[0] || a.range[1] - b.range[1] || a.rule.localeCompare(b.rule);
}

const gcpKeyFile = JSON.stringify({ type: 'service_account', private_key_id: 'abc', private_key: SAMPLES.openSshPrivateKey.replace('OPENSSH ', 'RSA '), client_email: 'x@p.iam.gserviceaccount.com' });

describe('secretlintReports', () => {
  // The same reports as secretlint's own driver: every sample alone, after a name, in a longer
  // text, all together, clean values, and a GCP service account key file.
  const texts: [string, string, string][] = [
    ...Object.entries(SAMPLES).flatMap(([name, value]): [string, string, string][] => [
      [`${name} alone`, value, ''],
      [`${name} after a name`, `MY_CONFIG=${value}`, ''],
      [`${name} in a text`, `# settings\nendpoint: x\nkey: ${value} # from the vault\n`, ''],
    ]),
    ['an AWS secret access key after its name', `AWS_SECRET_ACCESS_KEY=${SAMPLES.awsSecretAccessKey}`, ''],
    ['every sample', Object.values(SAMPLES).join('\n'), ''],
    ['clean values', CLEAN.map(([name, value]) => `${name}=${value}`).join('\n'), ''],
    ['a GCP service account key file', gcpKeyFile, '.json'],
  ];

  test.each(texts)('matches @secretlint/core on %s', async (_, content, ext) => {
    const expected = await libraryReports(content, ext);
    expect(secretlintReports(content, ext).map((r) => ({ ...r, range: [...r.range] })).sort(byPosition)).toEqual(expected);
  });

  test('finds every sample on its own but those only this project checks for, and an AWS secret key without its name', () => {
    const missed = Object.entries(SAMPLES).filter(([, value]) => secretlintReports(value).length === 0);
    expect(missed.map(([name]) => name)).toEqual(['awsSecretAccessKey', 'bearer', 'amqpUrl', 'huggingFaceToken']);
  });

  test('reads a .json value as a GCP service account key file', () => {
    expect(secretlintReports(gcpKeyFile, '.json').map((r) => r.messageId)).toContain('PrivateKeyJSON');
    expect(secretlintReports(gcpKeyFile).map((r) => r.messageId)).not.toContain('PrivateKeyJSON');
  });
});

describe('findCredential', () => {
  const { findCredential } = freshScanner();

  test.each([
    ['awsAccessKeyId', SAMPLES.awsAccessKeyId, 'AWSAccessKeyID, by secretlint\'s aws rule'],
    ['databaseUrl', SAMPLES.databaseUrl, 'PostgreSQLConnection, by secretlint\'s database-connection-string rule'],
    ['githubPat', SAMPLES.githubPat, 'GITHUB_TOKEN, by secretlint\'s github rule'],
    ['openAiKey', SAMPLES.openAiKey, 'OPENAI_TOKEN, by secretlint\'s openai rule'],
    ['slackWebhook', SAMPLES.slackWebhook, 'IncomingWebhook, by secretlint\'s slack rule'],
    ['openSshPrivateKey', SAMPLES.openSshPrivateKey, 'PrivateKey, by secretlint\'s privatekey rule'],
    ['bearer', SAMPLES.bearer, 'a bearer token'],
    ['a basic-auth header value', 'Basic ' + Buffer.from('admin:hunter2').toString('base64'), 'basic-auth credentials'],
    ['amqpUrl', SAMPLES.amqpUrl, 'a URL with a password'],
    ['a redis URL', 'redis://:' + 'hunter2@cache:6379/0', 'a URL with a password'],
    ['huggingFaceToken', SAMPLES.huggingFaceToken, 'a Hugging Face token'],
  ])('names what %s is', (_, value, what) => {
    expect(findCredential(value)).toBe(what);
  });

  test('reads the name the value is given, as secretlint reads a .env file', () => {
    expect(findCredential(SAMPLES.awsSecretAccessKey)).toBeUndefined();
    expect(findCredential(SAMPLES.awsSecretAccessKey, 'AWS_SECRET_ACCESS_KEY')).toBe('AWSSecretAccessKey, by secretlint\'s aws rule');
  });

  test.each(CLEAN)('finds nothing in %s=%s', (name, value) => {
    expect(findCredential(value, name)).toBeUndefined();
  });

  test.each([
    ['a URL whose password is a reference', 'amqp://worker:$(RABBIT_PASSWORD)@rabbitmq:5672/'],
    ['a URL with a user and no password', 'https://user@git.example.com/repo.git'],
    ['words after Bearer and Basic', 'Bearer tokens and Basic authentication are both accepted'],
    ['a report in the name alone', 'x'],
  ])('finds nothing in %s', (_, value) => {
    expect(findCredential(value, value === 'x' ? SAMPLES.githubPat : '')).toBeUndefined();
  });
});

describe('scanForCredentials', () => {
  // Values scanned as the lines of one text get the answers they get one by one, even where a
  // rule's match runs from one value into the next.
  const pairs: [string, string][] = [
    ...Object.entries(SAMPLES).map(([name, value]): [string, string] => [value, name]),
    ...CLEAN.map(([name, value]): [string, string] => [value, name]),
    ['', 'AWS_SECRET_ACCESS_KEY'],
    [SAMPLES.awsSecretAccessKey, ''],
    ['-----BEGIN RSA PRIVATE KEY-----', ''],
    [SAMPLES.awsAccessKeyId.slice(0, 10), ''],
    ['-----END RSA PRIVATE KEY-----', ''],
    ['Bearer', ''],
    ['eyJhbGciOiJIUzI1NiJ9abcdefgh', ''],
    [gcpKeyFile, 'key.json'],
    [SAMPLES.githubPat, 'GITHUB_PAT'],
  ];

  test('gives each value the answer it gets on its own', () => {
    const alone = freshScanner();
    const batched = freshScanner();
    batched.scanForCredentials(pairs);
    expect(pairs.map(([value, name]) => batched.findCredential(value, name))).toEqual(pairs.map(([value, name]) => alone.findCredential(value, name)));
  });

  test('leaves nothing to scan afterwards', () => {
    const scanner = freshScanner();
    scanner.scanForCredentials(pairs);
    const spy = jest.spyOn(String.prototype, 'matchAll');
    try {
      for (const [value, name] of pairs) scanner.findCredential(value, name);
      expect(spy).not.toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});
