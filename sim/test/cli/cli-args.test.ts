import { describe, expect, it } from 'vitest';
import { parseSeedList, parseThreadCount, parseWindow } from '../../src/cli/cli-args.js';

describe('parseSeedList', () => {
  it('reads numbers, ranges and a mix', () => {
    expect(parseSeedList('7')).toEqual([7]);
    expect(parseSeedList('1-3,9')).toEqual([1, 2, 3, 9]);
  });

  it('refuses what is not a seed list, naming the flag and the part', () => {
    expect(() => parseSeedList('1,x')).toThrow('--seeds: "x"');
    expect(() => parseSeedList('4-1')).toThrow('--seeds: "4-1" is an empty range');
    expect(() => parseSeedList('1-5000')).toThrow('--seeds: "1-5000" is more than 1000 seeds');
  });
});

describe('parseThreadCount', () => {
  it('reads a whole number of threads', () => {
    expect(parseThreadCount('1')).toBe(1);
    expect(parseThreadCount('4')).toBe(4);
  });

  it('refuses anything else, naming the flag', () => {
    for (const text of ['0', 'two', '1.5', '-2', '', 'NaN']) {
      expect(() => parseThreadCount(text), text).toThrow(`--threads: "${text}"`);
    }
  });
});

describe('parseWindow', () => {
  it('reads HH:MM-HH:MM into seconds after midnight', () => {
    expect(parseWindow('07:00-10:30')).toEqual({ fromS: 25200, toS: 37800 });
    expect(parseWindow('7:00 - 8:00')).toEqual({ fromS: 25200, toS: 28800 });
  });

  it('refuses a window that is empty, reversed or not times', () => {
    for (const text of ['9:00-8:00', '8:00-8:00', '8-9', '', '25:00-26:00']) {
      expect(() => parseWindow(text), text).toThrow(`--window: "${text}"`);
    }
  });
});
