import { describeRunway, runwayInWords } from './runway';

describe('runwayInWords', () => {
  it.each([
    [null, null],
    [Number.POSITIVE_INFINITY, null],
    [Number.NaN, null],
    [-3, 'less than an hour'],
    [0, 'less than an hour'],
    [0.99, 'less than an hour'],
    [1, 'about 1 hour'],
    [1.49, 'about 1 hour'],
    [5.2, 'about 5 hours'],
    [47.4, 'about 47 hours'],
    [47.6, 'about 2 days'],
    [72, 'about 3 days'],
    [83, 'about 3 days'],
    [85, 'about 4 days'],
    [365 * 24, 'about 365 days'],
    [366 * 24, 'more than a year'],
  ])('%p hours reads %p', (hours, words) => {
    expect(runwayInWords(hours)).toBe(words);
  });
});

describe('describeRunway', () => {
  it('reads a projected runway, and says more than a year when it outlasts the projection', () => {
    expect(describeRunway({ hours: 5.2, outlastsHorizon: false })).toBe('about 5 hours');
    expect(describeRunway({ hours: null, outlastsHorizon: true })).toBe('more than a year');
    expect(describeRunway({ hours: null, outlastsHorizon: false })).toBeNull();
  });
});
