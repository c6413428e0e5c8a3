/**
 * SVG baking (Open Badges 3.0 §5.3 "Baking"): the root `<svg>` gets `xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`
 * and, as its first child, `<openbadges:credential>` holding the credential JSON in CDATA — or, for a VC-JWT, an empty
 * element whose `verify` attribute is the compact JWT.
 *
 * Baking edits the SVG text in place (nothing else in the image changes). Unbaking parses with fast-xml-parser with
 * entity processing off; a DOCTYPE that declares entities (billion laughs, external entities) is refused outright,
 * and only the five predefined entities and character references are resolved, by us.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { BakeError, invalidImage, OB2_SVG_NAMESPACE, OB3_SVG_NAMESPACE, type SvgBakePayload, type UnbakeResult } from './types';
import {
  decodeXmlText,
  escapeXml,
  findElements,
  hasNonXmlChar,
  localName,
  readAttributes,
  readStartTag,
  type StartTag,
  skipProlog,
} from './xml-scan';

const OB3_ELEMENT = 'openbadges:credential';
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/;

type Located = { text: string; root: StartTag };

/** Finds the root `<svg>` of a well-formed document with no entity declarations, or says why not. */
function locateRoot(svg: string): Located | { error: string } {
  if (typeof svg !== 'string') return { error: 'The image is not text.' };
  const text = svg.charCodeAt(0) === 0xfeff ? svg.slice(1) : svg;
  const prolog = skipProlog(text);
  if ('error' in prolog) return { error: `The SVG image is not well-formed XML: ${prolog.error}.` };
  if (prolog.doctype && /<!ENTITY/i.test(prolog.doctype)) {
    return { error: 'The SVG image declares XML entities in its DOCTYPE; such images are refused for safety.' };
  }
  const root = readStartTag(text, prolog.rootStart);
  if (!root) return { error: 'The SVG image is not well-formed XML: its root tag is not closed.' };
  if (localName(root.name) !== 'svg') return { error: 'The image is XML but not an SVG image (its root is not <svg>).' };
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { error: `The SVG image is not well-formed XML: ${valid.err.msg}` };
  return { text, root };
}

/** Prefixes the root binds to `namespace`, plus the conventional `openbadges`. */
function prefixesFor(attributes: Record<string, string>, namespace: string): Set<string> {
  const prefixes = new Set(['openbadges']);
  for (const [name, value] of Object.entries(attributes)) {
    if (name.startsWith('xmlns:') && value.trim() === namespace) prefixes.add(name.slice('xmlns:'.length));
  }
  return prefixes;
}

const isBakeElement =
  (ob3: Set<string>, ob2: Set<string>) =>
  (name: string): boolean => {
    const colon = name.indexOf(':');
    if (colon < 0) return false;
    const prefix = name.slice(0, colon);
    const local = name.slice(colon + 1);
    return (local === 'credential' && ob3.has(prefix)) || (local === 'assertion' && ob2.has(prefix));
  };

/** CDATA content for `json`: `]]>` split across two sections, a CR carried as `&#13;` (parsers turn a raw CR into LF). */
function cdata(json: string): string {
  const body = json.split(']]>').join(']]]]><![CDATA[>').split('\r').join(']]>&#13;<![CDATA[');
  return `<![CDATA[${body}]]>`;
}

function credentialElement(payload: SvgBakePayload): string {
  const { json, jwt } = payload ?? {};
  if ((json === undefined) === (jwt === undefined)) {
    throw new BakeError('Bake either the credential JSON or a compact JWT into an SVG, exactly one of them.');
  }
  if (jwt !== undefined) {
    if (typeof jwt !== 'string' || !COMPACT_JWS.test(jwt)) throw new BakeError('The JWT to bake is not a compact JWS.');
    return `<${OB3_ELEMENT} verify="${escapeXml(jwt)}"></${OB3_ELEMENT}>`;
  }
  if (typeof json !== 'string' || json.trim() === '') throw new BakeError('Nothing to bake: the credential JSON is empty.');
  if (hasNonXmlChar(json)) throw new BakeError('The credential JSON holds characters an XML document cannot carry.');
  return `<${OB3_ELEMENT}>${cdata(json)}</${OB3_ELEMENT}>`;
}

/**
 * Bakes a credential into an SVG: an existing `<openbadges:credential>` (or OB 2.0 `<openbadges:assertion>`) is removed,
 * `xmlns:openbadges` is bound on the root, and the new element becomes the root's first child. Baking twice gives the
 * same text as baking once. Throws a `BakeError` for an image that is not a well-formed SVG, or a payload that cannot
 * be embedded (neither or both of `json`/`jwt`, a JWT that is not compact, characters XML cannot carry).
 */
export function bakeSvg(svg: string, payload: SvgBakePayload): string {
  const element = credentialElement(payload);
  const located = locateRoot(svg);
  if ('error' in located) throw new BakeError(located.error);
  const { text, root } = located;
  const attributes = readAttributes(text, root);
  const attributeMap = Object.fromEntries(attributes.map((a) => [a.name, a.value]));
  const wanted = isBakeElement(prefixesFor(attributeMap, OB3_SVG_NAMESPACE), prefixesFor(attributeMap, OB2_SVG_NAMESPACE));
  const existing = findElements(text, root, wanted);
  if ('error' in existing) throw new BakeError(`The SVG image is not well-formed XML: ${existing.error}.`);

  // Edit from the end backwards so that earlier indexes stay valid.
  let attributesEnd = root.attrsEnd;
  while (attributesEnd > root.start && /\s/.test(text[attributesEnd - 1]!)) attributesEnd--;
  let out = text;
  for (const range of [...existing].reverse()) out = out.slice(0, range.start) + out.slice(range.end);
  out = root.selfClosing
    ? `${out.slice(0, attributesEnd)}>${element}</${root.name}>${out.slice(root.end)}`
    : `${out.slice(0, root.end)}${element}${out.slice(root.end)}`;
  const binding = attributes.find((a) => a.name === 'xmlns:openbadges');
  if (binding) {
    if (binding.value !== OB3_SVG_NAMESPACE) out = `${out.slice(0, binding.start)}${OB3_SVG_NAMESPACE}${out.slice(binding.end)}`;
  } else {
    out = `${out.slice(0, attributesEnd)} xmlns:openbadges="${OB3_SVG_NAMESPACE}"${out.slice(attributesEnd)}`;
  }
  return out;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  cdataPropName: '#cdata',
  processEntities: false,
  htmlEntities: false,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

type XmlNode = Record<string, unknown>;
const ATTRIBUTES = ':@';

const tagOf = (node: XmlNode): string | undefined => Object.keys(node).find((key) => key !== ATTRIBUTES);
const childrenOf = (node: XmlNode, tag: string): XmlNode[] => {
  const children = node[tag];
  return Array.isArray(children) ? (children as XmlNode[]) : [];
};
const attributesOf = (node: XmlNode): Record<string, string> => {
  const attributes = node[ATTRIBUTES];
  if (!attributes || typeof attributes !== 'object') return {};
  return Object.fromEntries(Object.entries(attributes).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
};

/** The text of a credential element: its CDATA sections and (entity-decoded) text, in order, whitespace-only text dropped. */
function credentialText(node: XmlNode, tag: string): string | undefined {
  let text = '';
  for (const child of childrenOf(node, tag)) {
    const childTag = tagOf(child);
    if (childTag === '#cdata') {
      for (const part of childrenOf(child, '#cdata')) text += typeof part['#text'] === 'string' ? part['#text'] : '';
    } else if (childTag === '#text') {
      const raw = String(child['#text']);
      if (raw.trim() === '') continue;
      const decoded = decodeXmlText(raw);
      if (decoded === undefined) return undefined;
      text += decoded;
    }
  }
  return text;
}

function readCredential(node: XmlNode, tag: string): UnbakeResult {
  const verify = attributesOf(node).verify;
  if (verify !== undefined && verify.trim() !== '') {
    const jwt = decodeXmlText(verify);
    if (jwt === undefined) return invalidImage('The baked credential uses an XML entity that is not allowed.');
    return { kind: 'ob3', payload: jwt.trim() };
  }
  const text = credentialText(node, tag);
  if (text === undefined) return invalidImage('The baked credential uses an XML entity that is not allowed.');
  if (text.trim() === '') return invalidImage('The baked credential element is empty.');
  return { kind: 'ob3', payload: text };
}

/**
 * What an SVG holds: `ob3` with the first `<openbadges:credential>`'s `verify` attribute (a JWT) or content (JSON),
 * `ob2` for an OB 2.0 `<openbadges:assertion>`, `none`, or `invalid` (not well-formed, not an SVG, entities declared,
 * an empty credential element). Never throws; never expands an entity.
 */
export function unbakeSvg(svg: string): UnbakeResult {
  try {
    const located = locateRoot(svg);
    if ('error' in located) return invalidImage(located.error);
    const top = (parser.parse(located.text) as XmlNode[]).filter((node) => {
      const tag = tagOf(node);
      return tag !== undefined && !tag.startsWith('#') && !tag.startsWith('?');
    });
    const [root] = top;
    const rootTag = root && tagOf(root);
    if (top.length !== 1 || !root || !rootTag || localName(rootTag) !== 'svg') {
      return invalidImage('The SVG image is not well-formed XML: it must have exactly one root element, <svg>.');
    }
    const rootAttributes = attributesOf(root);
    const isWanted = isBakeElement(prefixesFor(rootAttributes, OB3_SVG_NAMESPACE), prefixesFor(rootAttributes, OB2_SVG_NAMESPACE));
    let ob2 = false;
    // Depth-first, in document order, without recursion.
    const stack: XmlNode[] = [...childrenOf(root, rootTag)].reverse();
    while (stack.length > 0) {
      const node = stack.pop()!;
      const tag = tagOf(node);
      if (!tag || tag.startsWith('#')) continue;
      if (isWanted(tag)) {
        if (localName(tag) === 'credential') return readCredential(node, tag);
        ob2 = true;
        continue;
      }
      const children = childrenOf(node, tag);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
    return ob2 ? { kind: 'ob2' } : { kind: 'none' };
  } catch {
    return invalidImage('The SVG image could not be read.');
  }
}
