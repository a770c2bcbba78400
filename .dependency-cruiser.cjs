// Import rules of the library and the app, checked by `npm run deps` and test/library/architecture.test.ts.
/** The shared vocabulary of every feature (props types, schema, errors, rule ids, checks of single values): lib/core/. */
const VOCABULARY = '^lib/core/';
/** What the vocabulary may import in lib/: itself, and the helpers of lib/util/. */
const BELOW_VOCABULARY = '^lib/(core|util)/';
/** The feature folders: every folder of lib/ but the vocabulary, its helpers and what composes the features (lib/pipeline/: the batch modes), a new one included. */
const FEATURES = '^lib/(?!(core|util|workload|serving)/|index[.]ts$|pipeline/ml-pipeline[.]ts$)';
/** What composes the features: the Workload construct and its resolution, the constructs on it, the public API. */
const COMPOSITION = '^lib/(workload|serving)/|^lib/pipeline/ml-pipeline[.]ts$|^lib/index[.]ts$';

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'An import cycle: split the shared part into a module both import.', severity: 'error', from: { path: '^(lib|app)/' }, to: { circular: true } },
    { name: 'library-stands-alone', comment: 'The published library cannot import the app, the tests or the benchmark.', severity: 'error', from: { path: '^lib/' }, to: { path: '^(app|test|bench)/|^(main|validate)[.]ts$' } },
    { name: 'features-below-the-workload', comment: 'A feature folder gets what it needs of the workload as arguments; it does not import what composes it.', severity: 'error', from: { path: FEATURES }, to: { path: COMPOSITION } },
    { name: 'vocabulary-at-the-bottom', comment: 'The shared vocabulary imports no feature folder.', severity: 'error', from: { path: VOCABULARY }, to: { path: '^lib/', pathNot: BELOW_VOCABULARY } },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|build|dist)/' },
  },
};
