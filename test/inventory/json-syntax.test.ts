import { describe, expect, it } from 'vitest';
import { locateJsonSyntaxError } from '../../src/inventory/json-syntax.js';

describe('locating a JSON syntax error', () => {
  it.each([
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, 'unexpected "\\"", expected "," or "}"'],
    ['{\n  "a": 1,\n}', 3, 1, 'unexpected "}", expected another property (remove the comma before "}")'],
    [
      '{ "name": "Lumière\n" }',
      1,
      19,
      'unexpected "\\n", expected a closing quote (strings cannot span lines)',
    ],
    ["{ 'id': 1 }", 1, 3, 'unexpected "\'", expected a property name in double quotes'],
    ['{ "quantity": 01 }', 1, 16, 'unexpected "1", expected "," or "}"'],
    ['{ "a": [1, 2 }', 1, 14, 'unexpected "}", expected "," or "]"'],
    ['{ "a": tru }', 1, 8, 'unexpected "t", expected a value'],
    ['{}\n{}', 2, 1, 'unexpected "{", expected the end of the file'],
    ['', 1, 1, 'unexpected end of file, expected a value'],
  ])('%j → line %i, column %i', (text, line, column, message) => {
    expect(() => JSON.parse(text) as unknown).toThrow();
    expect(locateJsonSyntaxError(text)).toEqual({ line, column, message });
  });

  it('finds nothing wrong in valid JSON', () => {
    expect(locateJsonSyntaxError('{ "a": [1, -2.5e3, true, null, "\\u00e9\\n"], "b": {} }')).toBeNull();
  });
});
