import { applicationName } from '../../../app/gitops/application-params';

describe('Application names', () => {
  test('parts joined with -, as they are up to 63 characters', () => {
    expect(applicationName('cdk8s-ml', 'prod', 'ml-serving', 'fraud-detector')).toBe('cdk8s-ml-prod-ml-serving-fraud-detector');
    expect(applicationName('a'.repeat(63))).toBe('a'.repeat(63));
  });

  test('a longer name keeps its start and ends in a hash of the whole, so two long names stay apart', () => {
    const a = applicationName('cdk8s-ml', 'production-europe-west', 'ml-serving-team-recommendations', 'candidate-ranker-a');
    const b = applicationName('cdk8s-ml', 'production-europe-west', 'ml-serving-team-recommendations', 'candidate-ranker-b');
    expect(a).toHaveLength(63);
    expect(a).toMatch(/^cdk8s-ml-production-europe-west-ml-serving-team-recomm-[0-9a-f]{8}$/);
    expect(a).not.toBe(b);
    expect(applicationName('cdk8s-ml', 'production-europe-west', 'ml-serving-team-recommendations', 'candidate-ranker-a')).toBe(a);
  });
});
