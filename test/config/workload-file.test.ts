import { parseWorkloadFile } from '../../lib';

describe('parseWorkloadFile', () => {
  const text = ['kind: MlPipeline', 'name: a', 'autoscaling:', '  behavior:', '    scaleUp:', '      policies:', '        - type: Pods', '          value: 0', '---', '---', 'kind: MlPipeline', 'name: b', ''].join('\n');

  test('returns one document per YAML document, skipping empty ones', () => {
    const { documents, issues } = parseWorkloadFile('w.yaml', text);
    expect(issues).toEqual([]);
    expect(documents.map((d) => d.data.name)).toEqual(['a', 'b']);
  });

  test('finds the line of a nested field', () => {
    const [first, second] = parseWorkloadFile('w.yaml', text).documents;
    expect(first.lineOf(['autoscaling', 'behavior', 'scaleUp', 'policies', 0, 'value'])).toBe(8);
    expect(second.lineOf(['name'])).toBe(12);
  });

  test('a missing field is placed at its nearest enclosing field', () => {
    const [first] = parseWorkloadFile('w.yaml', text).documents;
    expect(first.lineOf(['autoscaling', 'maxReplicas'])).toBe(3);
    expect(first.lineOf(['image'])).toBe(1);
  });
});
