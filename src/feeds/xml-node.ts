// Reading the trees xml2js builds (through rss-parser): an element is a string when it holds only
// text, or an object with `_` (text), `$` (attributes) and one array per child element name.

export type XmlNode = string | XmlElement;

export interface XmlElement {
  _?: string;
  $?: Record<string, string>;
  [child: string]: unknown;
}

export function isElement(node: unknown): node is XmlElement {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}

/** The first child element with this name, if any. */
export function child(parent: unknown, name: string): XmlNode | undefined {
  if (!isElement(parent)) return undefined;
  const children = parent[name];
  if (!Array.isArray(children)) return undefined;
  const first: unknown = children[0];
  return typeof first === 'string' || isElement(first) ? first : undefined;
}

export function children(parent: unknown, name: string): XmlNode[] {
  if (!isElement(parent)) return [];
  const list = parent[name];
  if (!Array.isArray(list)) return [];
  return list.filter((node): node is XmlNode => typeof node === 'string' || isElement(node));
}

export function attribute(node: XmlNode | undefined, name: string): string | undefined {
  if (!isElement(node)) return undefined;
  return node.$?.[name];
}

/** The element's own text (child elements are not included). */
export function ownText(node: XmlNode | undefined): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node;
  return typeof node._ === 'string' ? node._ : '';
}
