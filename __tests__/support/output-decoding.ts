// Independent decoders for what the product writes, so tests can check every string arrives as the
// same literal text. Written from the formats' specifications, not from the product's encoders.

/** RFC 4180 CSV, then the OWASP guard undone: a leading `'` before a formula character or another `'` is the guard. */
export function parseCsv(text: string, options: { readonly undoFormulaGuard?: boolean } = {}): string[][] {
  const undo = options.undoFormulaGuard ?? true;
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let wasQuoted = false;
  const endField = () => {
    row.push(undo && /^'[=+\-@\t\r']/.test(field) ? field.slice(1) : field);
    field = '';
    wasQuoted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '' && !wasQuoted) {
      quoted = true;
      wasQuoted = true;
    } else if (c === ',') endField();
    else if (c === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== '' || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

/** Inline Markdown back to text: `<br>` line breaks, numeric character references, backslash escapes of ASCII punctuation. */
export function decodeMarkdownText(md: string): string {
  return md.replace(/<br>|&#x([0-9a-f]+);|\\([!-/:-@[-`{-~])/gi, (_m, hex: string | undefined, punct: string | undefined) =>
    hex !== undefined ? String.fromCodePoint(parseInt(hex, 16)) : punct !== undefined ? punct : '\n',
  );
}

/** A GitHub Markdown table (the first one in the text) as decoded header + rows. */
export function parseMarkdownTable(md: string): { header: string[]; rows: string[][] } {
  const lines = md.split('\n').filter((l) => l.startsWith('| '));
  const cells = (l: string) => {
    const inner = l.slice(2, -2);
    const parts: string[] = [];
    let cell = '';
    for (let i = 0; i < inner.length; i++) {
      if (inner[i] === '\\') {
        cell += inner.slice(i, i + 2);
        i++;
      } else if (inner[i] === '|') {
        parts.push(cell);
        cell = '';
      } else cell += inner[i];
    }
    parts.push(cell);
    // Cells are separated by " | ": drop the one space each side of every separator.
    return parts.map((p, i) => decodeMarkdownText(p.slice(i > 0 ? 1 : 0, i < parts.length - 1 ? p.length - 1 : p.length)));
  };
  const [header, separator, ...rows] = lines.map(cells);
  if (!separator?.every((c) => c === '---')) throw new Error('not a Markdown table');
  return { header, rows };
}
