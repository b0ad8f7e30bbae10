// The encoders by example, exactly (the properties in __tests__/properties check that they round-trip;
// these pin the chosen forms, so a change of form is a decision, not an accident).
import { csvCell, csvDocument, markdownCode, markdownTable, markdownText, terminalLines, terminalText } from '../../model/output-encoding';

describe('terminal', () => {
  test('every control character is shown, never obeyed', () => {
    expect(terminalText('a\u001b[31mb')).toBe('a\\x1b[31mb');
    expect(terminalText('\u0000\u001f\u007f\u009f')).toBe('\\x00\\x1f\\x7f\\x9f');
    expect(terminalText('x\ny\r')).toBe('x\\x0ay\\x0d');
    expect(terminalText('\u202egnp.exe \u2066\u2069\u200e\u200f\u061c\u2028\u2029')).toBe('\\u{202e}gnp.exe \\u{2066}\\u{2069}\\u{200e}\\u{200f}\\u{61c}\\u{2028}\\u{2029}');
    expect(terminalText('plain ü ✓ \u00a0')).toBe('plain ü ✓ \u00a0');
  });

  test('lines keep their breaks (CRLF as LF), nothing else', () => {
    expect(terminalLines('one\r\ntwo\nthree\u001b\ttab\rcr')).toBe('one\ntwo\nthree\\x1b\\x09tab\\x0dcr');
  });
});

describe('CSV', () => {
  test('formula starts are prefixed, as OWASP advises', () => {
    for (const start of ['=', '+', '-', '@']) expect(csvCell(`${start}HYPERLINK("x")`)).toBe(`"'${start}HYPERLINK(""x"")"`);
    expect(csvCell('=1')).toBe("'=1");
    expect(csvCell('\t1')).toBe(`"'\t1"`);
    expect(csvCell('\r1')).toBe(`"'\r1"`);
    expect(csvCell('a=1')).toBe('a=1');
  });

  test("a leading ' before a formula character or another ' is prefixed too, so the prefix is always told apart", () => {
    expect(csvCell("'=1")).toBe("''=1");
    expect(csvCell("a'=1")).toBe("a'=1"); // only a leading '
    expect(csvCell("''")).toBe("'''");
    expect(csvCell("'+1")).toBe("''+1");
    expect(csvCell("'-1")).toBe("''-1");
    expect(csvCell("'@1")).toBe("''@1");
    expect(csvCell("'\t")).toBe(`"''\t"`);
    expect(csvCell("'\r")).toBe(`"''\r"`);
    expect(csvCell("'a")).toBe("'a");
  });

  test('quoted only when it must be', () => {
    expect(csvCell('plain text')).toBe('plain text');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('a;b')).toBe('"a;b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('')).toBe('');
  });

  test('a document: header, rows, a newline after each', () => {
    expect(csvDocument(['email', 'role'], [['a@x.example', 'ADMIN'], ['b@x.example', '=cmd']])).toBe('email,role\na@x.example,ADMIN\nb@x.example,\'=cmd\n');
    expect(csvDocument(['h'], [])).toBe('h\n');
  });
});

describe('Markdown', () => {
  test('markup is escaped; text without markup is returned as it is', () => {
    expect(markdownText('plain text, 1. - # ok')).toBe('plain text, 1. - # ok');
    expect(markdownText('a*b* `c` [d](e) <f> |g| ~h~ &i; $j$ \\k')).toBe('a\\*b\\* \\`c\\` \\[d\\](e) \\<f\\> \\|g\\| \\~h\\~ \\&i; \\$j\\$ \\\\k');
  });

  test('_ between letters or digits stays; elsewhere it is escaped', () => {
    expect(markdownText('READ_ONLY a_1 _x y_ __z__')).toBe('READ_ONLY a_1 \\_x y\\_ \\_\\_z\\_\\_');
    expect(markdownText('_')).toBe('\\_');
    expect(markdownText('a_')).toBe('a\\_');
    expect(markdownText('_a')).toBe('\\_a');
  });

  test('# is escaped only in the closing run of a heading', () => {
    expect(markdownText('issue #12 ##')).toBe('issue #12 \\#\\#');
    expect(markdownText('C# and F#')).toBe('C# and F\\#');
    expect(markdownText('#')).toBe('\\#');
    expect(markdownText(' ## ')).toBe(' \\#\\# ');
    expect(markdownText('a# \t')).toBe('a\\# \t'.replace('\t', '&#x9;'));
  });

  test('line breaks become <br>, other controls character references', () => {
    expect(markdownText('one\ntwo')).toBe('one<br>two');
    expect(markdownText('bell\u0007 esc\u001b bidi\u202e')).toBe('bell&#x7; esc&#x1b; bidi&#x202e;');
  });

  test('code spans only for text that can be one unchanged', () => {
    expect(markdownCode('READ_ONLY')).toBe('`READ_ONLY`');
    expect(markdownCode('a`b')).toBe('a\\`b');
    expect(markdownCode(' edge')).toBe(' edge');
    expect(markdownCode('edge ')).toBe('edge ');
    expect(markdownCode('')).toBe('');
    expect(markdownCode('esc\u001b')).toBe('esc&#x1b;');
  });

  test('tables: header, separator, rows, every cell escaped', () => {
    expect(markdownTable(['who', 'role'], [['a|b', 'ADMIN'], ['c', '*x*']])).toBe(
      '| who | role |\n| --- | --- |\n| a\\|b | ADMIN |\n| c | \\*x\\* |\n',
    );
    expect(markdownTable(['h'], [])).toBe('| h |\n| --- |\n');
  });
});
