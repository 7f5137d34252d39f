/** Characters of JSON that open or close a container, or separate its members. */
const OPEN_OBJECT = 0x7b; // {
const CLOSE_OBJECT = 0x7d; // }
const OPEN_ARRAY = 0x5b; // [
const CLOSE_ARRAY = 0x5d; // ]
const COMMA = 0x2c;
const COLON = 0x3a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

interface Container {
  /** Keys seen so far; undefined for an array. */
  readonly keys: Set<string> | undefined;
  /** Path of this container (`''` at the top, `a.b` below). */
  readonly path: string;
  /** The key whose value is being read (objects only). */
  current: string | undefined;
}

function pathOf(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/**
 * The path of the first key that appears twice in one object of `text` (a valid JSON document,
 * e.g. one `JSON.parse` accepted), or undefined. `JSON.parse` keeps the last of duplicate keys
 * while other readers keep the first, so a payload with duplicates means different records to
 * different readers; keys are compared after unescaping (`"\u0061"` is `"a"`). Linear in the text.
 */
export function findDuplicateKey(text: string): string | undefined {
  const stack: Container[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      let escaped = false;
      for (i += 1; i < text.length; i += 1) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) {
          escaped = true;
          i += 1;
        } else if (d === QUOTE) {
          break;
        }
      }
      const top = stack[stack.length - 1];
      if (expectKey && top?.keys !== undefined) {
        const raw = text.slice(start + 1, i);
        const key = escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : raw;
        if (top.keys.has(key)) {
          return pathOf(top.path, key);
        }
        top.keys.add(key);
        top.current = key;
        expectKey = false;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      const parent = stack[stack.length - 1];
      const path = parent === undefined ? '' : parent.keys === undefined ? parent.path : pathOf(parent.path, parent.current ?? '');
      stack.push({ keys: c === OPEN_OBJECT ? new Set() : undefined, path, current: undefined });
      expectKey = c === OPEN_OBJECT;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      stack.pop();
      expectKey = false;
    } else if (c === COMMA) {
      expectKey = stack[stack.length - 1]?.keys !== undefined;
    } else if (c === COLON) {
      expectKey = false;
    }
  }
  return undefined;
}
