import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generatedFrom } from '../../../app/synth/render-manifests';
import { runSynth } from '../../../app/synth/run-synth';
import { filesBelow } from '../../helpers';

// The committed dist/ is the reviewed snapshot of what `npm run synth` writes
// for workloads/; this fails when a change to the code or to a workload file
// was not re-synthesized.
const projectRoot = path.resolve(__dirname, '../../..');

/** The generated manifests in `dir`; files kept there by hand are not synth's to compare. */
function read(dir: string): Record<string, string> {
  const files = filesBelow(dir).map((name) => [name, fs.readFileSync(path.join(dir, name), 'utf8')]);
  return Object.fromEntries(files.filter(([, content]) => generatedFrom(content) !== undefined));
}

describe('example workloads', () => {
  let outdir: string;
  let synthesized: Record<string, string>;

  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-ml-examples-'));
    const code = runSynth({ env: { CDK8S_OUTDIR: outdir }, cwd: projectRoot, stdout: () => undefined, stderr: (t) => process.stderr.write(t) });
    expect(code).toBe(0);
    synthesized = read(outdir);
  });

  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test('dist/ is up to date (run `npm run synth` and commit dist/ when this fails)', () => {
    expect(read(path.join(projectRoot, 'dist'))).toEqual(synthesized);
  });
});
