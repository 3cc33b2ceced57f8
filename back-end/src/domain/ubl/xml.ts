import { Errors, withField } from '@barback/messaging';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** The most a document may be, in UTF-8 bytes: what a supplier's invoice needs many times over. */
export const MAX_DOCUMENT_BYTES = 2 * 1024 * 1024;

export const UBL_NAMESPACES = {
  Invoice: 'urn:oasis:names:specification:ubl:schema:xsd:Invoice-2',
  CreditNote: 'urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2',
} as const;
export type UblRoot = keyof typeof UBL_NAMESPACES;

/**
 * Tags and attributes a document may have, counted before parsing: parsing
 * costs 10-20 µs an element, so 2 MB of empty elements (500,000 of them)
 * would hold a worker for seconds. A 200-line invoice has about 7,000 tags.
 */
export const MAX_TAGS = 40_000;
export const MAX_ATTRIBUTES = 20_000;

function count(text: string, char: string): number {
  let n = 0;
  for (let at = text.indexOf(char); at >= 0; at = text.indexOf(char, at + 1)) n += 1;
  return n;
}

/** An element as read: its text, its attributes (by local name) and its child elements, every one a list. */
export interface XmlElement {
  '#text'?: string;
  [name: string]: XmlElement[] | string | undefined;
}

function refuse(message: string, field = 'document'): never {
  throw withField(new Errors.validation(message), field);
}

/**
 * Declarations are where every entity attack lives (external entities reading
 * /etc/passwd, a billion laughs expanding in memory); UBL needs none, so a
 * document that declares anything is refused before any parser sees it.
 */
const DECLARATION = /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i;

/**
 * The root element's start tag: what precedes it may only be the XML
 * declaration, processing instructions, comments and white space (a DOCTYPE
 * was refused already, and the validator has found the text well formed).
 */
function rootTag(text: string): { prefix: string | null; name: string; attributes: string } | null {
  let rest = text.replace(/^\uFEFF/, '');
  for (;;) {
    rest = rest.trimStart();
    if (rest.startsWith('<?')) {
      const end = rest.indexOf('?>');
      if (end < 0) return null;
      rest = rest.slice(end + 2);
    } else if (rest.startsWith('<!--')) {
      const end = rest.indexOf('-->');
      if (end < 0) return null;
      rest = rest.slice(end + 3);
    } else {
      break;
    }
  }
  const m = /^<(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)([^>]*)>/.exec(rest);
  if (!m) return null;
  return { prefix: m[1] ?? null, name: m[2] ?? '', attributes: m[3] ?? '' };
}

/** The namespace a start tag's attributes bind `prefix` (null: the default namespace) to. */
function namespaceOf(attributes: string, prefix: string | null): string | null {
  const name = prefix === null ? 'xmlns' : `xmlns:${prefix}`;
  const re = /([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  for (let m = re.exec(attributes); m; m = re.exec(attributes)) {
    if (m[1] === name) return m[2] ?? m[3] ?? '';
  }
  return null;
}

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * The five predefined entities and character references, decoded in one
 * pass: the parser's own entity processing is off (it is where expansion
 * lives), and these cannot expand into anything but one character.
 */
export function decodeReferences(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g, (whole, hex?: string, dec?: string, name?: string) => {
    if (name) return PREDEFINED[name] ?? whole;
    const code = hex ? parseInt(hex, 16) : Number(dec);
    return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : whole;
  });
}

const parser = new XMLParser({
  // Namespaces by prefix are the sender's choice (cbc:, ubc:, none): elements are read by local name, and the
  // root's namespace is checked on the text itself (rootTag) because the parser drops xmlns attributes.
  removeNSPrefix: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Values stay text: "0012" is an item code, not the number 12, and amounts are read exactly (decimal.ts).
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  alwaysCreateTextNode: true,
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
  // UBL nests a dozen deep; anything far deeper is not an invoice.
  maxNestedTags: 64,
});

/**
 * The document read safely, or a 400 naming what is wrong: too large, a
 * declaration (DTD, entity), not well formed XML (an HTML page), or not a
 * UBL 2.1 Invoice or CreditNote. Never throws anything else.
 */
export function readUblXml(text: string): { root: UblRoot; element: XmlElement } {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_DOCUMENT_BYTES) refuse(`The document is ${(bytes / 1024 / 1024).toFixed(1)} MB; the limit is 2 MB.`);
  if (text.trim() === '') refuse('The document is empty.');
  const declared = DECLARATION.exec(text);
  if (declared) refuse(`The document contains a <!${declared[1]?.toUpperCase()}> declaration; e-invoices need none and they are refused.`);

  if (count(text, '<') > MAX_TAGS) refuse(`The document has more than ${MAX_TAGS.toLocaleString('en-IE')} tags; an invoice of 200 lines needs far fewer.`);
  if (count(text, '=') > MAX_ATTRIBUTES) refuse(`The document has more than ${MAX_ATTRIBUTES.toLocaleString('en-IE')} attributes; an invoice of 200 lines needs far fewer.`);

  // fast-xml-parser's own validator: its successor, fast-xml-validator, is a package this project does not depend on.
  // eslint-disable-next-line @typescript-eslint/no-deprecated
  const valid = XMLValidator.validate(text);
  if (valid !== true) refuse(`The document is not well-formed XML (line ${valid.err.line}, column ${valid.err.col}: ${valid.err.msg})`);

  const tag = rootTag(text);
  if (!tag || (tag.name !== 'Invoice' && tag.name !== 'CreditNote')) {
    refuse(`The document is not a UBL Invoice or CreditNote: its root element is <${tag ? (tag.prefix ? `${tag.prefix}:` : '') + tag.name : '?'}>.`);
  }
  const root: UblRoot = tag.name;
  if (namespaceOf(tag.attributes, tag.prefix) !== UBL_NAMESPACES[root]) {
    refuse(`The document's root <${tag.name}> is not in the UBL 2.1 namespace ${UBL_NAMESPACES[root]}.`);
  }

  let parsed: Record<string, XmlElement[] | undefined>;
  try {
    parsed = parser.parse(text) as Record<string, XmlElement[] | undefined>;
  } catch (err) {
    // The parser's own refusals (nesting too deep, a name like __proto__): the document's fault, not ours.
    refuse(`The document could not be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const element = parsed[root]?.[0];
  if (!element) refuse(`The document's root <${root}> could not be read.`);
  return { root, element };
}
