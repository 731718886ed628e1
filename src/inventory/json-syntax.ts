/**
 * Where a JSON text first goes wrong, as a line and column a person can jump to. JSON.parse on Node 20 often
 * says only "Unexpected token" with a snippet, and people hand-edit inventory files. Only called once
 * JSON.parse has failed, so it favours plain code over speed.
 */
export interface JsonSyntaxError {
  line: number;
  column: number;
  message: string;
}

class Stop extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

export function locateJsonSyntaxError(text: string): JsonSyntaxError | null {
  return scan(text, false);
}

/**
 * Where a JSON text that parses names a property twice in one object: JSON.parse keeps the last value
 * and drops the first without a word (two "licenses" lists in a hand-merged file lose one of them).
 */
export function locateDuplicateProperty(text: string): JsonSyntaxError | null {
  return scan(text, true);
}

function scan(text: string, duplicates: boolean): JsonSyntaxError | null {
  let i = 0;
  const found = () => (i >= text.length ? 'end of file' : JSON.stringify(text[i]));
  const fail = (expected: string): never => {
    throw new Stop(i, `unexpected ${found()}, expected ${expected}`);
  };
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail('a closing quote (strings cannot span lines)');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('four hex digits after \\u');
          i += 4;
        } else if (i >= text.length || !'"\\/bfnrt'.includes(text[i]!)) fail('an escape such as \\" or \\n');
      }
      i++;
    }
    if (i >= text.length) fail('a closing quote');
    i++;
  };
  const value = (): void => {
    space();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    const number = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
    number.lastIndex = i;
    if (number.test(text)) {
      i = number.lastIndex;
      return;
    }
    fail('a value');
  };
  const object = () => {
    i++;
    space();
    if (text[i] === '}') {
      i++;
      return;
    }
    const names = duplicates ? new Set<string>() : undefined;
    for (;;) {
      space();
      if (text[i] !== '"')
        fail(
          text[i] === '}'
            ? 'another property (remove the comma before "}")'
            : 'a property name in double quotes',
        );
      const start = i;
      string();
      if (names) {
        const name = JSON.parse(text.slice(start, i)) as string;
        if (names.has(name))
          throw new Stop(
            start,
            `property ${JSON.stringify(name)} is given twice in one object (only its last value would be read)`,
          );
        names.add(name);
      }
      space();
      if (text[i] !== ':') fail('":" after the property name');
      i++;
      value();
      space();
      if (text[i] === '}') {
        i++;
        return;
      }
      if (text[i] !== ',') fail('"," or "}"');
      i++;
    }
  };
  const array = () => {
    i++;
    space();
    if (text[i] === ']') {
      i++;
      return;
    }
    for (;;) {
      space();
      if (text[i] === ']') fail('another value (remove the comma before "]")');
      value();
      space();
      if (text[i] === ']') {
        i++;
        return;
      }
      if (text[i] !== ',') fail('"," or "]"');
      i++;
    }
  };

  try {
    value();
    space();
    if (i < text.length) fail('the end of the file');
    return null;
  } catch (err) {
    if (!(err instanceof Stop)) return null; // e.g. nesting too deep for the stack: JSON.parse's own message will do
    const before = text.slice(0, err.offset);
    const line = before.split('\n').length;
    return { line, column: err.offset - before.lastIndexOf('\n'), message: err.message };
  }
}
