export type Cell = string | number;

function format(cell: Cell): string {
  if (typeof cell === 'string') return cell;
  if (!Number.isFinite(cell)) return String(cell);
  if (Number.isInteger(cell)) return cell.toLocaleString('en-US');
  return cell.toFixed(Math.abs(cell) >= 100 ? 0 : 2);
}

/** Writes a titled, column-aligned table to stdout (benchmarks print figures; no console in this repo). */
export function printTable(title: string, headers: readonly string[], rows: readonly (readonly Cell[])[]): void {
  const text = rows.map((row) => row.map(format));
  const widths = headers.map((header, column) => Math.max(header.length, ...text.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  process.stdout.write(`\n${title}\n${line(headers)}\n${rule}\n${text.map(line).join('\n')}\n`);
}

export function note(message: string): void {
  process.stdout.write(`${message}\n`);
}
