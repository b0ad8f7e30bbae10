import { test } from '@fast-check/jest';
import { csvCell, csvDocument, htmlText, markdownCode, markdownTable, markdownText, terminalLines, terminalText } from '../../model/output-encoding';
import { decodeMarkdownText, parseCsv, parseMarkdownTable } from '../support/output-decoding';
import { fc, numRuns } from './fast-check-config';
import { hostileString } from './support/hostile-definition';

// The one output-encoding layer: every string comes back out as the same literal text, and never
// as a formula, markup or a terminal escape.

const anyText = fc.oneof(hostileString, fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', "'", '"', ',', ';', '|', '\\', '_', '#', 'a', ' '), maxLength: 12 }));
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

test.prop([fc.array(fc.array(anyText, { minLength: 3, maxLength: 3 }), { maxLength: 5 })], { numRuns: numRuns(300) })(
  'CSV: parses back to the same cells; no cell, as a spreadsheet reads it, starts a formula',
  (rows) => {
    const doc = csvDocument(['a', 'b', 'c'], rows);
    expect(parseCsv(doc)).toEqual([['a', 'b', 'c'], ...rows]);
    for (const cell of parseCsv(doc, { undoFormulaGuard: false }).flat()) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  },
);

test.prop([fc.array(fc.array(anyText, { minLength: 2, maxLength: 2 }), { maxLength: 4 })], { numRuns: numRuns(300) })(
  'Markdown: a table parses back to the same cells; no raw control character or unescaped pipe',
  (rows) => {
    const md = markdownTable(['x', 'y'], rows);
    expect(parseMarkdownTable(md)).toEqual({ header: ['x', 'y'], rows });
    expect(md.split('\n').filter(Boolean)).toHaveLength(rows.length + 2);
    expect(CONTROL.test(md)).toBe(false);
  },
);

test.prop([anyText], { numRuns: numRuns(500) })('Markdown text and code decode to the input; terminal text holds no control character', (text) => {
  expect(decodeMarkdownText(markdownText(text))).toBe(text);
  const code = markdownCode(text);
  expect(code.startsWith('`') ? code.slice(1, -1) : decodeMarkdownText(code)).toBe(text);
  expect(CONTROL.test(terminalText(text)) || /\n/.test(terminalText(text))).toBe(false);
  expect(CONTROL.test(terminalLines(text))).toBe(false);
});

test('the OWASP cases, by example', () => {
  expect(csvCell('=HYPERLINK("https://evil.example","x")')).toBe('"\'=HYPERLINK(""https://evil.example"",""x"")"');
  expect(csvCell('+1')).toBe("'+1");
  expect(csvCell('-1')).toBe("'-1");
  expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  expect(csvCell('\tx')).toBe('"\'\tx"');
  expect(csvCell('\rx')).toBe('"\'\rx"');
  expect(csvCell("'=x")).toBe("''=x");
  expect(csvCell("it's")).toBe("it's");
  expect(csvCell('a;b')).toBe('"a;b"');
  expect(csvCell('plain text')).toBe('plain text');
});

test('the terminal shows escape sequences instead of obeying them', () => {
  expect(terminalText('\u001b[31mred\u001b[0m')).toBe('\\x1b[31mred\\x1b[0m');
  expect(terminalText('a\nb\u202ec')).toBe('a\\x0ab\\u{202e}c');
  expect(terminalLines('a\nb\u0007')).toBe('a\nb\\x07');
});

test('Markdown keeps readable text readable', () => {
  expect(markdownText('READ_ONLY (until 2027-02-26)')).toBe('READ_ONLY (until 2027-02-26)');
  expect(markdownText('a|b *c* _d_ <br> [x](y) #tag')).toBe('a\\|b \\*c\\* \\_d\\_ \\<br\\> \\[x\\](y) #tag');
  expect(markdownText('name #')).toBe('name \\#');
  expect(markdownText('two\nlines\u001b')).toBe('two<br>lines&#x1b;');
});

/** What a browser makes of encoded text: the five entities back to their characters. */
function decodeHtml(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39);/g, (_m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);
}

test.prop([anyText], { numRuns: numRuns(300) })('HTML: no markup, quote or entity start survives; it decodes to the text with control characters made visible', (text) => {
  const html = htmlText(text);
  expect(html).not.toMatch(/[<>"']/);
  expect(html.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
  expect(CONTROL.test(html)).toBe(false);
  expect(decodeHtml(html)).toBe(terminalLines(text));
});
