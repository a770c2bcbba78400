// Import rules of the library and the app, checked by `npm run deps` and test/library/architecture.test.ts.
/** The shared vocabulary of every feature: types, names and checks of single values. */
const VOCABULARY = '^lib/workload/(workload-props|profile|errors|names|quantity|image|suggest|issues|secret-names)[.]ts$';
const FEATURES = '^lib/(autoscaling|pod|pipeline|serving|hardening|monitoring|gitops|kube|validation)/';

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'An import cycle: split the shared part into a module both import.', severity: 'error', from: { path: '^(lib|app)/' }, to: { circular: true } },
    { name: 'library-stands-alone', comment: 'The published library cannot import the app, the tests or the benchmark.', severity: 'error', from: { path: '^lib/' }, to: { path: '^(app|test|bench)/|^(main|validate)[.]ts$' } },
    { name: 'vocabulary-at-the-bottom', comment: 'The shared vocabulary imports no feature folder.', severity: 'error', from: { path: VOCABULARY }, to: { path: FEATURES } },
  ],
  options: {
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|build|dist)/' },
  },
};
