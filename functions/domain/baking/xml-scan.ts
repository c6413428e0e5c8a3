/**
 * Lexical helpers over XML text — just enough to find the root element and the boundaries of given elements without
 * building a tree, so that baking edits the original SVG in place and keeps every other byte of the image.
 * (Well-formedness is checked separately, with fast-xml-parser's validator.)
 */

export interface StartTag {
  /** The qualified name, e.g. `svg` or `svg:svg`. */
  name: string;
  /** Index of `<`. */
  start: number;
  /** Index of the `/` of `/>` or of the `>` ending the tag: where new attributes go. */
  attrsEnd: number;
  /** Index just after `>`. */
  end: number;
  selfClosing: boolean;
}

export interface Range {
  start: number;
  end: number;
}

const isXmlSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Index just after the DOCTYPE starting at `start` (quotes, an internal subset and its comments taken into account). */
function doctypeEnd(text: string, start: number): number {
  let quote: string | undefined;
  let depth = 0;
  for (let i = start + 2; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '<' && text.startsWith('<!--', i)) {
      const close = text.indexOf('-->', i + 4);
      if (close < 0) return -1;
      i = close + 2;
    } else if (c === '[') {
      depth++;
    } else if (c === ']') {
      depth--;
    } else if (c === '>' && depth <= 0) {
      return i + 1;
    }
  }
  return -1;
}

export interface Prolog {
  /** Index of the `<` of the root element. */
  rootStart: number;
  /** The DOCTYPE declaration, if any, verbatim. */
  doctype: string | undefined;
}

/** Skips a BOM, whitespace, the XML declaration, processing instructions, comments and a DOCTYPE. */
export function skipProlog(text: string): Prolog | { error: string } {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let doctype: string | undefined;
  while (i < text.length) {
    if (isXmlSpace(text[i])) {
      i++;
      continue;
    }
    if (text[i] !== '<') return { error: 'there is text before the root element' };
    if (text.startsWith('<?', i)) {
      const close = text.indexOf('?>', i + 2);
      if (close < 0) return { error: 'a processing instruction is not closed' };
      i = close + 2;
    } else if (text.startsWith('<!--', i)) {
      const close = text.indexOf('-->', i + 4);
      if (close < 0) return { error: 'a comment is not closed' };
      i = close + 3;
    } else if (text.startsWith('<!DOCTYPE', i)) {
      const end = doctypeEnd(text, i);
      if (end < 0) return { error: 'the DOCTYPE is not closed' };
      doctype = text.slice(i, end);
      i = end;
    } else if (text.startsWith('<!', i)) {
      return { error: 'unexpected markup before the root element' };
    } else {
      return { rootStart: i, doctype };
    }
  }
  return { error: 'there is no root element' };
}

/** The name of the element whose start tag begins at `start` (`text[start] === '<'`). */
export function tagNameAt(text: string, start: number): string {
  let i = start + 1;
  while (i < text.length && !isXmlSpace(text[i]) && text[i] !== '/' && text[i] !== '>') i++;
  return text.slice(start + 1, i);
}

/** Reads the start tag at `start`, quoted attribute values taken into account. */
export function readStartTag(text: string, start: number): StartTag | undefined {
  const name = tagNameAt(text, start);
  if (!name) return undefined;
  let quote: string | undefined;
  for (let i = start + 1 + name.length; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '<') {
      return undefined;
    } else if (c === '>') {
      const selfClosing = text[i - 1] === '/';
      return { name, start, attrsEnd: selfClosing ? i - 1 : i, end: i + 1, selfClosing };
    }
  }
  return undefined;
}

/** `name="value"` pairs of a start tag, with the index range of each value (quotes excluded). */
export function readAttributes(text: string, tag: StartTag): Array<{ name: string; value: string } & Range> {
  const source = text.slice(tag.start + 1 + tag.name.length, tag.attrsEnd);
  const offset = tag.start + 1 + tag.name.length;
  const found: Array<{ name: string; value: string } & Range> = [];
  for (const match of source.matchAll(/([^\s=]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) {
    const value = match[3] ?? match[4] ?? '';
    const start = offset + match.index + match[0].length - 1 - value.length;
    found.push({ name: match[1]!, value, start, end: start + value.length });
  }
  return found;
}

/**
 * The outer ranges of the elements inside `root` (at any depth, outermost only) whose qualified name `wanted` accepts.
 * An error when the markup is not properly nested.
 */
export function findElements(text: string, root: StartTag, wanted: (name: string) => boolean): Range[] | { error: string } {
  if (root.selfClosing) return [];
  const ranges: Range[] = [];
  const open: string[] = [root.name];
  let target: { start: number; depth: number } | undefined;
  let i = root.end;
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    const skipTo = (terminator: string, from: number): number => {
      const close = text.indexOf(terminator, from);
      return close < 0 ? -1 : close + terminator.length;
    };
    let next: number;
    if (text.startsWith('<!--', lt)) {
      next = skipTo('-->', lt + 4);
    } else if (text.startsWith('<![CDATA[', lt)) {
      next = skipTo(']]>', lt + 9);
    } else if (text.startsWith('<?', lt)) {
      next = skipTo('?>', lt + 2);
    } else if (text.startsWith('</', lt)) {
      const gt = text.indexOf('>', lt);
      if (gt < 0) return { error: 'an end tag is not closed' };
      const name = text.slice(lt + 2, gt).trim();
      if (open.pop() !== name) return { error: `the end tag </${name}> does not match` };
      if (target && open.length === target.depth) {
        ranges.push({ start: target.start, end: gt + 1 });
        target = undefined;
      }
      if (open.length === 0) return ranges;
      next = gt + 1;
    } else if (text.startsWith('<!', lt)) {
      return { error: 'unexpected markup inside the root element' };
    } else {
      const tag = readStartTag(text, lt);
      if (!tag) return { error: 'a start tag is not closed' };
      if (!target && wanted(tag.name)) {
        if (tag.selfClosing) ranges.push({ start: lt, end: tag.end });
        else target = { start: lt, depth: open.length };
      }
      if (!tag.selfClosing) open.push(tag.name);
      next = tag.end;
    }
    if (next < 0) return { error: 'a comment, CDATA section or processing instruction is not closed' };
    i = next;
  }
  return { error: 'the root element is not closed' };
}

/** The local part of a qualified name (`svg:svg` → `svg`). */
export const localName = (qualified: string): string => qualified.slice(qualified.indexOf(':') + 1);

/** Characters allowed in XML 1.0 documents (Char production): tab, LF, CR, and U+0020 upward bar surrogates, FFFE/FFFF. */
export function hasNonXmlChar(text: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters; finding them is the point
  return /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(
    text,
  );
}

/** Removes the characters XML 1.0 cannot carry (control characters, lone surrogates, U+FFFE/U+FFFF). */
export function stripNonXmlChars(text: string): string {
  return text.replace(
    // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 forbids these characters; finding them is the point
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '',
  );
}

/** Escapes text for an XML text node or a double-quoted attribute value. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Resolves the five predefined entities and character references. Anything else (an entity a DOCTYPE would define)
 * is not expanded: `undefined` is answered instead.
 */
export function decodeXmlText(raw: string): string | undefined {
  let unknown = false;
  const decoded = raw.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_][\w.-]*);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number.parseInt(ref.slice(1), 10);
      if (!Number.isFinite(code) || code > 0x10ffff) {
        unknown = true;
        return whole;
      }
      const char = String.fromCodePoint(code);
      if (hasNonXmlChar(char)) unknown = true;
      return char;
    }
    const value = PREDEFINED[ref];
    if (value === undefined) unknown = true;
    return value ?? whole;
  });
  return unknown ? undefined : decoded;
}
