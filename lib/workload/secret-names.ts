// Whole words of an environment variable name that mean a credential: HF_TOKEN,
// DB_PASSWORD, openaiApiKey. Matching words rather than substrings keeps
// TOKENIZERS_PARALLELISM and MAX_TOKENS out; a name ending in FILE, NAME, PATH
// or REF points at a credential rather than holding one (DB_PASSWORD_FILE).
const SECRET_WORDS = ['PASSWORD', 'PASSWD', 'PASS', 'TOKEN', 'SECRET', 'APIKEY', 'CREDENTIALS', 'CREDENTIAL'];
const SECRET_PHRASES = ['API_KEY', 'ACCESS_KEY', 'PRIVATE_KEY', 'SECRET_KEY'];
const POINTER_WORDS = ['FILE', 'NAME', 'PATH', 'REF', 'DIR'];

/** True when an environment variable of this name probably holds a credential. */
export function looksLikeSecret(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().split(/[^A-Z0-9]+/).filter(Boolean);
  if (POINTER_WORDS.includes(words[words.length - 1])) return false;
  const joined = `_${words.join('_')}_`;
  return words.some((w) => SECRET_WORDS.includes(w)) || SECRET_PHRASES.some((p) => joined.includes(`_${p}_`));
}
