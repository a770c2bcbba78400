import { remembered } from '../util/remembered';

// Whole words of an environment variable name that mean a credential: HF_TOKEN,
// DB_PASSWORD, openaiApiKey. Matching words rather than substrings keeps
// TOKENIZERS_PARALLELISM and MAX_TOKENS out; a name ending in FILE, NAME, PATH
// or REF points at a credential rather than holding one (DB_PASSWORD_FILE).
const SECRET_WORDS = ['PASSWORD', 'PASSWD', 'TOKEN', 'SECRET', 'APIKEY', 'CREDENTIALS', 'CREDENTIAL'];
const SECRET_PHRASES = ['API_KEY', 'ACCESS_KEY', 'PRIVATE_KEY', 'SECRET_KEY'];
// Words after the credential word that make the name about it, not it: DB_PASSWORD_FILE,
// MAX_TOKEN_LENGTH, EOS_TOKEN_ID, OIDC_TOKEN_ENDPOINT.
const ABOUT_WORDS = ['FILE', 'NAME', 'PATH', 'REF', 'DIR', 'ID', 'IDS', 'URL', 'URI', 'ENDPOINT', 'LENGTH', 'LEN', 'MIN', 'MAX', 'COUNT', 'SIZE', 'LIMIT', 'TTL', 'EXPIRY', 'TYPE', 'HEADER'];
// Tokenizer special tokens are model vocabulary, not credentials: PAD_TOKEN, EOS_TOKEN.
const VOCABULARY_WORDS = ['PAD', 'EOS', 'BOS', 'UNK', 'SEP', 'CLS', 'MASK', 'START', 'END', 'SPECIAL', 'MAX', 'NUM'];

/** True when an environment variable of this name probably holds a credential. Each name is looked at once. */
export const looksLikeSecret: (name: string) => boolean = remembered((name: string): boolean => {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean);
  const startsPhrase = (i: number) => SECRET_PHRASES.some((p) => words.slice(i, i + p.split('_').length).join('_') === p);
  const index = words.findIndex((w, i) => SECRET_WORDS.includes(w) || startsPhrase(i));
  if (index < 0) return false;
  if (words.slice(index + 1).some((w) => ABOUT_WORDS.includes(w))) return false;
  return !(words[index] === 'TOKEN' && index > 0 && VOCABULARY_WORDS.includes(words[index - 1]));
});
