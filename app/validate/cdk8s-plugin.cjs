// Entry of the cdk8s CLI validation plugin (cdk8s.yaml `validations:`). The CLI
// require()s plugins from plain Node.js, so TypeScript is registered first.
require('tsx/cjs');
module.exports = require('./cdk8s-plugin.ts');
