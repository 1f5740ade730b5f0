/**
 * A cell a spreadsheet may read as a formula: a sign after any leading spaces or line breaks
 * (Excel and LibreOffice skip them), full-width signs included (＝＋－＠), or a tab or CR first.
 */
const FORMULA = /^(?:[\s\u3000]*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r])/;

/**
 * RFC 4180 quoting; text a spreadsheet would run as a formula (not a number) gets a leading quote.
 */
export function csvCell(value: string): string {
  const formula = FORMULA.test(value) && !/^-?\d+(\.\d+)?$/.test(value);
  const safe = formula ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** CSV text with CRLF line ends. Numbers must already be exact strings. */
export function csvText(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return `${[head, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}
