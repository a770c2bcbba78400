import { remembered } from '../../lib/util/remembered';

describe('remembered', () => {
  test('works a result out once per argument, false and undefined results included', () => {
    const compute = jest.fn((key: string) => key === 'none' ? undefined : key.length > 1);
    const check = remembered(compute);
    expect([check('a'), check('ab'), check('none'), check('a'), check('ab'), check('none')]).toEqual([false, true, undefined, false, true, undefined]);
    expect(compute.mock.calls).toEqual([['a'], ['ab'], ['none']]);
  });

  test('does not remember a call that throws', () => {
    const compute = jest.fn((key: string) => {
      if (key === 'bad') throw new Error(`'${key}' is bad`);
      return key;
    });
    const check = remembered(compute);
    for (let i = 0; i < 2; i++) expect(() => check('bad')).toThrow("'bad' is bad");
    expect(compute).toHaveBeenCalledTimes(2);
  });

  test('keeps at most `limit` results, then starts again', () => {
    const compute = jest.fn((key: number) => key * 2);
    const double = remembered(compute, 2);
    for (const key of [1, 2, 1, 3, 1]) double(key);
    // 1 and 2 are kept; 3 finds the store full and empties it, so 1 is worked out again.
    expect(compute.mock.calls.map(([key]) => key)).toEqual([1, 2, 3, 1]);
  });
});
