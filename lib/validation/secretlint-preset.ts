// secretlint's recommended rule set, which ships as ES modules only. `npm run build` replaces
// this module's compiled JavaScript with a CommonJS bundle of the preset (esbuild), so that the
// package loads with require() everywhere, jest's module system included; the app and the
// tests load it from its package.
export { creator } from '@secretlint/secretlint-rule-preset-recommend';
