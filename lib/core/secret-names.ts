import { remembered } from '../util/remembered';

// Whole words of a name that mean a credential: HF_TOKEN, DB_PASSWORD, openaiApiKey,
// DB_PASSWORD2. Matching words rather than substrings keeps TOKENIZERS_PARALLELISM and
// MAX_TOKENS out. Polaris's sensitiveContainerEnvVar check is the floor: names with
// password, token, bearer or secret in them, AWS_SECRET_ACCESS_KEY,
// GOOGLE_APPLICATION_CREDENTIALS, AZURE_...KEY and OCI_CLI_KEY_CONTENT
// (https://github.com/FairwindsOps/polaris, checks/sensitiveContainerEnvVar.yaml).
const SECRET_WORDS = ['PASSWORD', 'PASSWD', 'PASSPHRASE', 'PWD', 'TOKEN', 'SECRET', 'BEARER', 'APIKEY', 'CREDENTIALS', 'CREDENTIAL', 'CREDS'];
// Words that are a credential only as the last word: DB_PASS, GITHUB_PAT, but PASS_THROUGH.
const LAST_SECRET_WORDS = ['PASS', 'PAT'];
const SECRET_PHRASES = [
  'API_KEY', 'ACCESS_KEY', 'PRIVATE_KEY', 'SECRET_KEY', 'SIGNING_KEY', 'ENCRYPTION_KEY', 'MASTER_KEY', 'ACCOUNT_KEY',
  'AUTH_KEY', 'SESSION_KEY', 'HMAC_KEY', 'JWT_KEY', 'SSH_KEY', 'LICENSE_KEY', 'KEY_CONTENT', 'CLIENT_KEY',
].map((p) => p.split('_'));
// Words after the credential word that make the name about it, not it: DB_PASSWORD_FILE,
// MAX_TOKEN_LENGTH, OIDC_TOKEN_ENDPOINT, API_KEY_ENV (the name of a variable that holds it).
const ABOUT_WORDS = [
  'FILE', 'NAME', 'PATH', 'REF', 'DIR', 'URL', 'URI', 'ENDPOINT', 'LENGTH', 'LEN', 'MIN', 'MAX', 'COUNT', 'SIZE', 'LIMIT',
  'TTL', 'EXPIRY', 'TYPE', 'HEADER', 'ENV', 'VAR', 'BUDGET', 'RATE', 'TIMEOUT', 'INTERVAL', 'THRESHOLD', 'STDIN', 'PROMPT',
];
// Only after TOKEN: a token ID is model vocabulary (EOS_TOKEN_ID), while SECRET_ID and
// AWS_ACCESS_KEY_ID are half of a credential.
const ABOUT_TOKEN_WORDS = ['ID', 'IDS'];
// Tokenizer special tokens are model vocabulary, not credentials: PAD_TOKEN, EOS_TOKEN.
const VOCABULARY_WORDS = ['PAD', 'EOS', 'BOS', 'UNK', 'SEP', 'CLS', 'MASK', 'START', 'END', 'SPECIAL', 'MAX', 'NUM'];

/** The words of a name, upper-cased, camelCase split, trailing digits dropped: `dbPassword2` -> DB, PASSWORD. */
function wordsOf(name: string): string[] {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().split(/[^A-Z0-9]+/)
    .map((w) => w.replace(/(?<=[A-Z])[0-9]+$/, '')).filter(Boolean);
}

/** Where the credential word or phrase starts and how many words it has, or undefined. */
function findCredentialWord(words: readonly string[]): { index: number; length: number } | undefined {
  for (let i = 0; i < words.length; i++) {
    const phrase = SECRET_PHRASES.find((p) => p.every((w, j) => words[i + j] === w));
    if (phrase) return { index: i, length: phrase.length };
    if (SECRET_WORDS.includes(words[i]) || (i === words.length - 1 && LAST_SECRET_WORDS.includes(words[i]))) return { index: i, length: 1 };
  }
  // Polaris: AZURE_...KEY (AZURE_BATCH_KEY, AZURE_STORAGE_KEY).
  if (words.length > 1 && words[0] === 'AZURE' && words[words.length - 1].endsWith('KEY')) return { index: words.length - 1, length: 1 };
  return undefined;
}

/**
 * True when a variable, flag or key of this name probably holds a credential:
 * an environment variable, a `--db-password` flag, a ConfigMap key. Each name
 * is looked at once.
 */
export const looksLikeSecret: (name: string) => boolean = remembered((name: string): boolean => {
  const words = wordsOf(name);
  const found = findCredentialWord(words);
  if (!found) return false;
  const after = words.slice(found.index + found.length);
  const word = words[found.index];
  if (after.some((w) => ABOUT_WORDS.includes(w) || (word === 'TOKEN' && ABOUT_TOKEN_WORDS.includes(w)))) return false;
  return !(word === 'TOKEN' && found.index > 0 && VOCABULARY_WORDS.includes(words[found.index - 1]));
});

/**
 * True when a literal given to a credential-looking name is not the credential
 * itself: empty, a boolean (a switch, USE_AUTH_TOKEN=true), a reference to
 * another variable or a shell expansion (`$(DB_PASSWORD)`, `${TOKEN}`,
 * `$(cat /run/secrets/db)`), or an absolute path to a mounted file
 * (GOOGLE_APPLICATION_CREDENTIALS=/var/run/secrets/key.json).
 */
export function isNotACredential(value: string): boolean {
  return value.trim() === '' || /^(true|false|yes|no|on|off)$/i.test(value) || /^\$[({A-Za-z_]/.test(value) || value.startsWith('/');
}
