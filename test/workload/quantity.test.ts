import { isQuantity, quantityString, quantityValue } from '../../lib';

describe('quantity', () => {
  test.each([
    ['500m', 0.5], ['1', 1], ['1.5', 1.5], ['2k', 2000], ['1Ki', 1024], ['1Gi', 2 ** 30], ['1e3', 1000], ['1E', 1e18], ['.5', 0.5],
  ])('%s is %d', (q, value) => {
    expect(isQuantity(q)).toBe(true);
    expect(quantityValue(q)).toBeCloseTo(value);
  });

  test.each(['', 'half', '-1', '1 Gi', '1gi', '1GB', 'm'])('%p is not a quantity', (q) => {
    expect(isQuantity(q)).toBe(false);
  });

  test('numbers are quantities and are written as strings', () => {
    expect(isQuantity(2)).toBe(true);
    expect(isQuantity(-1)).toBe(false);
    expect(quantityString(2)).toBe('2');
  });

  test('1000m equals 1 and 1024Mi equals 1Gi', () => {
    expect(quantityValue('1000m')).toBe(quantityValue('1'));
    expect(quantityValue('1024Mi')).toBe(quantityValue('1Gi'));
  });
});
