/**
 * The one place that turns a string from the definition or from the API into text for a file or a
 * terminal. Every string reaches its output only through one of these encoders, as a literal: never
 * a spreadsheet formula, Markdown markup or a terminal escape sequence.
 */

/**
 * Characters a terminal (or a Markdown viewer) would act on rather than show: C0 and C1 controls,
 * DEL, the bidirectional overrides and isolates ("Trojan Source", CVE-2021-42574), and the Unicode
 * line and paragraph separators.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const IS_CONTROL = new RegExp(CONTROL.source);
const CONTROL_EXCEPT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** C0 and C1 controls (up to U+009F) as `\xNN`, as JavaScript writes them; the rest as `\u{NNNN}`. */
function visibleEscape(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0x9f ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/** One line for the terminal: every control character (newlines included) shown visibly, e.g. ESC as `\x1b`. */
export function terminalText(text: string): string {
  return text.replace(CONTROL, visibleEscape);
}

/** Several lines for the terminal (an error message): newlines kept, every other control character shown visibly. */
export function terminalLines(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(CONTROL_EXCEPT_NEWLINE, visibleEscape);
}

/**
 * OWASP "CSV Injection": a cell starting with one of these is a formula to a spreadsheet.
 * https://owasp.org/www-community/attacks/CSV_Injection
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180). A cell a spreadsheet would evaluate is prefixed with `'`, as OWASP advises;
 * so that the prefix can always be told from data, a cell that itself starts with `'` followed by a
 * formula character or another `'` is prefixed too. Quoted when it holds a quote, a separator (`,`,
 * or `;` for spreadsheets in locales that split on it), a tab or a line break.
 */
export function csvCell(value: string): string {
  const guarded = FORMULA_START.test(value) || /^'[=+\-@\t\r']/.test(value) ? `'${value}` : value;
  return /[",;\t\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** A whole CSV document: a header row and data rows, each line ended by `\n`. */
export function csvDocument(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n';
}

/** ASCII punctuation CommonMark (or GitHub's `$` math) gives a meaning to; `_` is handled apart (see below). */
const MARKDOWN_PUNCTUATION = new Set(['\\', '`', '*', '[', ']', '<', '>', '|', '~', '&', '$']);
const ALNUM = /[A-Za-z0-9]/;

/**
 * Inline Markdown text (a table cell, a list item, a heading): renders as exactly the input.
 * Markup characters are backslash-escaped (CommonMark 0.31, section 2.4; the text never starts a line,
 * so line-start markup such as `#`, `-` or `1.` needs no escape), line breaks become `<br>`, other control
 * characters numeric character references (`&#x1b;`), so a file shown in a terminal carries no escape
 * sequence either. `_` between two letters or digits is left alone (it cannot emphasise there), so
 * `READ_ONLY` stays readable.
 */
/** Characters `markdownText` may change; text without any of them is already literal Markdown. */
const MARKDOWN_SPECIAL = /[\\`*[\]<>|~&$_#\n\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export function markdownText(text: string): string {
  // Stryker disable next-line ConditionalExpression: a fast path only; the loop below leaves such text unchanged.
  if (!MARKDOWN_SPECIAL.test(text)) return text;
  let out = '';
  let trailingRun = text.length;
  while (/[#\s]/.test(text.charAt(trailingRun - 1))) trailingRun--; // charAt(-1) is '': the loop stops
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\n') out += '<br>';
    else if (ch === '_') out += ALNUM.test(text[i - 1] ?? '') && ALNUM.test(text[i + 1] ?? '') ? '_' : '\\_';
    else if (MARKDOWN_PUNCTUATION.has(ch)) out += `\\${ch}`;
    // "#" means something only at the start of a line (never where these texts go) or closing a heading.
    else if (ch === '#' && i >= trailingRun) out += '\\#';
    else if (IS_CONTROL.test(ch)) out += `&#x${ch.charCodeAt(0).toString(16)};`;
    else out += ch;
  }
  return out;
}

/** A code span when the text can be one unchanged (no backtick, no control character, no edge spaces), else escaped text. */
export function markdownCode(text: string): string {
  const plain = !text.includes('`') && !IS_CONTROL.test(text) && text.trim() === text && text !== '';
  return plain ? `\`${text}\`` : markdownText(text);
}

/** A GitHub-flavoured Markdown table whose every cell is `markdownText`. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(markdownText).join(' | ')} |`;
  return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n') + '\n';
}

/** What HTML gives a meaning to in text and in quoted attribute values. */
const HTML_SPECIAL: Readonly<Record<string, string>> = Object.freeze({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' });

/**
 * HTML text or a quoted attribute value that renders as exactly the input (OWASP XSS prevention, rule 1:
 * encode `& < > " '`): never markup, a script or an attribute break. Control characters (bidirectional
 * overrides included) become visible `\xNN` / `\u{NNNN}`, as terminalLines shows them, so a report
 * cannot reorder what a reader sees.
 */
export function htmlText(text: string): string {
  return terminalLines(text).replace(/[&<>"']/g, (ch) => HTML_SPECIAL[ch]);
}
