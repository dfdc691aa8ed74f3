/**
 * The pieces every DATEX II v3 XML document of ours shares: a minimal element builder (so no tag is opened without
 * being closed and every text and attribute is escaped), the payload envelope, and the common value types.
 */

/** An XML element: name, attributes (undefined ones left out) and children or text. */
export interface XmlElement {
  name: string;
  attrs?: Record<string, string | number | undefined>;
  children?: ReadonlyArray<XmlElement | undefined>;
  text?: string | number;
}

/** `el('par:parkingName', {}, [...])`; undefined children are left out, so optional elements read inline. */
export function el(
  name: string,
  attrs: XmlElement['attrs'] = {},
  content: ReadonlyArray<XmlElement | undefined> | string | number = [],
): XmlElement {
  return typeof content === 'string' || typeof content === 'number'
    ? { name, attrs, text: content }
    : { name, attrs, children: content };
}

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function render(node: XmlElement, indent: string, out: string[]): void {
  const attrs = Object.entries(node.attrs ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(String(value))}"`)
    .join('');
  const children = (node.children ?? []).filter((child): child is XmlElement => child !== undefined);
  if (node.text !== undefined) {
    out.push(`${indent}<${node.name}${attrs}>${escapeXml(String(node.text))}</${node.name}>`);
  } else if (children.length === 0) {
    out.push(`${indent}<${node.name}${attrs}/>`);
  } else {
    out.push(`${indent}<${node.name}${attrs}>`);
    for (const child of children) render(child, `${indent}  `, out);
    out.push(`${indent}</${node.name}>`);
  }
}

/** The namespaces of the DATEX II v3 schemas our publications use, by the prefixes the schemas themselves use. */
const NAMESPACES = {
  'xmlns:d2': 'http://datex2.eu/schema/3/d2Payload',
  'xmlns:com': 'http://datex2.eu/schema/3/common',
  'xmlns:par': 'http://datex2.eu/schema/3/parking',
  'xmlns:loc': 'http://datex2.eu/schema/3/locationReferencing',
  'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
};

/** Who publishes: `com:InternationalIdentifier`. */
export interface DatexPublisher {
  /** ISO 3166-1 alpha-2 country code, lower case (`gb`). */
  country: string;
  /** The publisher's identifier within that country. */
  nationalIdentifier: string;
}

/** The common head of every payload publication (`com:PayloadPublication`). */
export interface DatexPayloadHead {
  modelBaseVersion: '3';
  publicationTime: string;
  publicationCreator: DatexPublisher;
}

/**
 * A `d2:payload` document of publication type `xsiType` (`par:ParkingStatusPublication`, …): the
 * `com:PayloadPublication` elements, then `body`.
 */
export function payloadXml(
  xsiType: string,
  head: DatexPayloadHead,
  lang: string,
  body: ReadonlyArray<XmlElement | undefined>,
): string {
  const root = el('d2:payload', { ...NAMESPACES, 'xsi:type': xsiType, modelBaseVersion: '3', lang }, [
    el('com:publicationTime', {}, head.publicationTime),
    el('com:publicationCreator', {}, [
      el('com:country', {}, head.publicationCreator.country),
      el('com:nationalIdentifier', {}, head.publicationCreator.nationalIdentifier),
    ]),
    ...body,
  ]);
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  render(root, '', out);
  return `${out.join('\n')}\n`;
}

/** `com:MultilingualString` with one value. */
export function multilingual(name: string, value: string, lang: string): XmlElement {
  return el(name, {}, [el('com:values', {}, [el('com:value', { lang }, value)])]);
}

/** A reference to a versioned object (`targetClass` is fixed by the schema for each reference type). */
export interface DatexReference {
  id: string;
  version: string;
  targetClass: string;
}

export function referenceXml(name: string, ref: DatexReference): XmlElement {
  return el(name, { targetClass: ref.targetClass, id: ref.id, version: ref.version });
}

/** ISO 8601 UTC, as `com:DateTime` (xs:dateTime) takes it. */
export const isoTime = (ms: number): string => new Date(ms).toISOString();

/**
 * FNV-1a (32 bits) of a string, in hex: a short version id that changes when what it is computed over changes.
 * Not cryptographic; it only has to tell versions of one table apart.
 */
export function versionHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
