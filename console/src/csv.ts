// CSV for spreadsheets: RFC 4180 quoting, CRLF lines, and a byte-order mark so that Excel reads
// the UTF-8 (Chinese headers, IDN names) correctly. Cells that a spreadsheet would run as a
// formula (=, +, -, @ first) are prefixed with an apostrophe.

function cell(v: unknown): string {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export function csv(header: string[], rows: unknown[][]): Blob {
  const text = [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
  return new Blob(['\ufeff' + text], { type: 'text/csv;charset=utf-8' });
}
