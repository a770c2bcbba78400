import { imageProblem, imageTag } from '../../lib/core/image';

describe('image', () => {
  test.each([
    'registry.example.com/ml/server:1.4.2',
    'localhost:5000/server:v1',
    'server:2024-01-01_rc.1',
    `server@sha256:${'a'.repeat(64)}`,
    `registry.example.com/server:1.0@sha256:${'b'.repeat(64)}`,
    'Registry.Example.com:443/ml/server:1',
  ])('%s is pinned', (image) => {
    expect(imageProblem(image)).toBeUndefined();
  });

  test('a registry port is not a tag', () => {
    expect(imageTag('localhost:5000/server')).toBeUndefined();
    expect(imageProblem('localhost:5000/server')).toContain('has no tag');
  });

  test.each([
    ['server', "'server' has no tag, so it means ':latest'"],
    ['server:latest', "'server:latest' uses ':latest'"],
    ['server@sha256:xyz', "'server@sha256:xyz' has a malformed digest"],
    ['server:bad!tag', "'server:bad!tag' has an invalid tag 'bad!tag'"],
    ['my server:1', "'my server:1' is not a valid image reference"],
    ['Registry.Example.com/ML/server:1', "'Registry.Example.com/ML/server:1' is not a valid image reference; the repository path must be lowercase"],
    ['', "'' is not a valid image reference"],
    [`server@sha256:${'A'.repeat(64)}`, 'has a malformed digest'],
    [`server@sha256:${'a'.repeat(32)}`, 'has a malformed digest'],
  ])('%s is rejected', (image, message) => {
    expect(imageProblem(image)).toContain(message);
  });
});
