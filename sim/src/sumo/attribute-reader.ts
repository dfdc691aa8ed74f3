import type { ErrorFactory } from '@citybay/common';
import { elementError, type XmlElement } from './sumo-xml-reader.js';
import { parseNumber, parseSumoTimeS } from './sumo-values.js';

/** Where an item came from, for warnings and errors after parsing: `file:line: path`. */
export interface SumoSource {
  line: number;
  path: string;
}

/**
 * Reads typed attribute values of one file's elements; every bad value fails with the file's error code, naming the
 * file, line, element path and attribute. Methods are arrow properties so they can be destructured.
 */
export class AttributeReader {
  constructor(
    readonly fileName: string,
    private readonly factory: ErrorFactory,
  ) {}

  fail = (element: XmlElement, attribute: string | undefined, message: string): Error =>
    elementError(this.factory, this.fileName, element, attribute, message);

  sourceOf = (element: XmlElement): SumoSource => ({ line: element.line, path: element.path });

  /** A number attribute that passes `check`, or undefined when absent. */
  number = (element: XmlElement, attribute: string, check: (n: number) => boolean, expected: string) => {
    const value = element.attributes[attribute];
    if (value === undefined) return undefined;
    const parsed = parseNumber(value);
    if (parsed === undefined || !check(parsed)) {
      throw this.fail(element, attribute, `expected ${expected}, got "${value}"`);
    }
    return parsed;
  };

  /** A SUMO time (seconds or h:m:s), or undefined when absent. */
  time = (element: XmlElement, attribute: string) => {
    const value = element.attributes[attribute];
    if (value === undefined) return undefined;
    const parsed = parseSumoTimeS(value);
    if (parsed === undefined) throw this.fail(element, attribute, `expected a time (seconds or h:m:s), got "${value}"`);
    return parsed;
  };

  /** A space-separated list of edge ids, or undefined when absent. */
  edgeList = (element: XmlElement, attribute: string) => {
    const value = element.attributes[attribute];
    if (value === undefined) return undefined;
    const list = value.split(/\s+/).filter((edge) => edge !== '');
    if (list.length === 0) throw this.fail(element, attribute, 'expected a list of edge ids, got nothing');
    return list;
  };
}
