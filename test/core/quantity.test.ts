import { compareQuantities, isMultipleOf, isQuantity, quantityString, quantityValue } from '../../lib/core/quantity';

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

  test('a quantity compared again compares the same, a number as its string; a bad one fails every time', () => {
    for (let i = 0; i < 2; i++) {
      expect(compareQuantities('500m', 0.5)).toBe(0);
      expect(compareQuantities(0.5, '500m')).toBe(0);
      expect(quantityValue('1Gi')).toBe(2 ** 30);
      expect(() => compareQuantities('1GB', '1')).toThrow("'1GB' is not a Kubernetes quantity");
    }
  });

  test('compares exactly, where floating point would not', () => {
    expect(compareQuantities('350m', '0.35')).toBe(0);
    expect(compareQuantities('1000m', 1)).toBe(0);
    expect(compareQuantities('1024Mi', '1Gi')).toBe(0);
    expect(compareQuantities('1.1', '1100m')).toBe(0);
    expect(compareQuantities('1e-3', '1m')).toBe(0);
    expect(compareQuantities('999m', '1')).toBe(-1);
    expect(compareQuantities('1Gi', '1G')).toBe(1);
  });

  test('every multiple of 50m up to 16 cores equals itself written in cores', () => {
    for (let milli = 0; milli <= 16000; milli += 50) {
      expect(compareQuantities(`${milli}m`, String(milli / 1000))).toBe(0);
    }
  });

  test('knows multiples', () => {
    expect(isMultipleOf('4Mi', '2Mi')).toBe(true);
    expect(isMultipleOf('3Mi', '2Mi')).toBe(false);
    expect(isMultipleOf('0.5', 1)).toBe(false);
    expect(isMultipleOf('2000m', 1)).toBe(true);
  });
});
