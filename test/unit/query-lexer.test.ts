import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tokenize } from '../../emulator/query/lexer.js';
import { parseQuery } from '../../emulator/query/parser.js';
import { MAX_QUERY_LENGTH } from '../../emulator/query/query-errors.js';
import { assertRefused } from './query-fixtures.js';

/** The query text itself: tokens, positions and the length limit. */
const kinds = (text: string): string[] =>
  tokenize(text).map((token) => (token.kind === 'name' ? `${token.escaped ? 'escaped' : 'name'}:${token.text}` : token.kind === 'symbol' ? token.text : token.kind === 'end' ? 'end' : `${token.kind}:${String(token.value)}`));

void describe('tokens', () => {
  void it('split names, $-names, numbers, strings and operators', () => {
    assert.deepEqual(kinds("a.$version>=-1.5e2 AND x<>'y'"), ['name:a', '.', 'name:$version', '>=', '-', 'number:150', 'name:AND', 'name:x', '<>', 'string:y', 'end']);
    assert.deepEqual(kinds('0x1F+.5'), ['number:31', '+', 'number:0.5', 'end']);
  });

  void it('read [[name]] after a dot as an escaped name, and [ elsewhere as a bracket', () => {
    assert.deepEqual(kinds('tags.[[group]] IN [1]'), ['name:tags', '.', 'escaped:group', 'name:IN', '[', 'number:1', ']', 'end']);
  });

  void it('refuse characters outside the language, saying where', () => {
    assertRefused('SELECT * FROM devices WHERE tags.a = #1', /unexpected character '#' \(at character 38\)/);
    assertRefused('SELECT * FROM devices WHERE tags.a = 1;', /unexpected character ';'/);
  });
});

void describe('the query as a whole', () => {
  void it('is at most 8192 characters ("Twin query limitations")', () => {
    const condition = (length: number): string => {
      const base = "SELECT * FROM devices WHERE tags.site = '";
      return `${base}${'x'.repeat(length - base.length - 1)}'`;
    };
    assert.equal(condition(MAX_QUERY_LENGTH).length, 8192);
    assert.doesNotThrow(() => parseQuery(condition(MAX_QUERY_LENGTH)));
    assertRefused(condition(MAX_QUERY_LENGTH + 1), /8193 characters; at most 8192/);
  });

  void it('must be one query with nothing after it', () => {
    assertRefused('SELECT * FROM devices ORDER BY deviceId', /expected the end of the query, found 'ORDER'/);
    assertRefused('DELETE FROM devices', /expected SELECT/);
    assertRefused('', /expected SELECT, found the end of the query/);
    assertRefused('SELECT * FROM devices WHERE', /expected a property, a constant or a function, found the end/);
  });
});
