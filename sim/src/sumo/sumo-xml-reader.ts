import { type ErrorFactory, isCitybayError } from '@citybay/common';
import { SaxesParser } from 'saxes';

/** One XML element as the reader hands it over: attributes as strings, where it is, and its path. */
export interface XmlElement {
  name: string;
  attributes: Readonly<Record<string, string>>;
  /** 1-based line of the element's start tag. */
  line: number;
  /** `routes.flow[3]`: the element names from the root, each with its index among its parent's children of that name. */
  path: string;
  /** Nesting depth: the root element is 0. */
  depth: number;
}

export interface XmlHandlers {
  onOpen(element: XmlElement): void;
  onClose?(element: XmlElement): void;
}

/**
 * Streams an XML text element by element (saxes): no tree of the whole file is built, so a route file of a million
 * vehicles costs the memory of what the handlers keep, and every element comes with its line for error messages.
 * A text that is not well-formed XML fails with `fail`, naming the file, line and column.
 */
export function readXmlElements(text: string, fileName: string, fail: ErrorFactory, handlers: XmlHandlers): void {
  const parser = new SaxesParser({ position: true });
  const stack: Array<{ element: XmlElement; childCounts: Map<string, number> }> = [];
  const rootCounts = new Map<string, number>();
  parser.on('opentag', (tag) => {
    const parent = stack.at(-1);
    const counts = parent?.childCounts ?? rootCounts;
    const index = counts.get(tag.name) ?? 0;
    counts.set(tag.name, index + 1);
    const path = parent === undefined ? tag.name : `${parent.element.path}.${tag.name}[${index}]`;
    const element: XmlElement = {
      name: tag.name,
      attributes: tag.attributes as Record<string, string>,
      line: parser.line,
      path,
      depth: stack.length,
    };
    stack.push({ element, childCounts: new Map() });
    handlers.onOpen(element);
  });
  parser.on('closetag', () => {
    const top = stack.pop();
    if (top !== undefined) handlers.onClose?.(top.element);
  });
  try {
    parser.write(text).close();
  } catch (cause) {
    // Our own coded errors from a handler pass through; anything else is the XML itself.
    if (isCitybayError(cause)) throw cause;
    throw fail(`${fileName}:${parser.line}:${parser.column}: not well-formed XML: ${(cause as Error).message}`, {
      path: '(root)',
      cause,
    });
  }
}

/** Builds the error for a bad element or attribute: `file:line: path.attr (id "x"): message`, path in `err.path`. */
export function elementError(
  fail: ErrorFactory,
  fileName: string,
  element: XmlElement,
  attribute: string | undefined,
  message: string,
): Error {
  const path = attribute === undefined ? element.path : `${element.path}.${attribute}`;
  const id = element.attributes.id === undefined ? '' : ` (id "${element.attributes.id}")`;
  return fail(`${fileName}:${element.line}: ${path}${id}: ${message}`, { path });
}
