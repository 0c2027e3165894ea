// A plain text table: columns padded to their widest cell, long cells cut with an ellipsis so a row
// stays on one line.
import { visibleLength } from './style';

export interface TableOptions {
  /** Longest a cell may be before it is shortened. */
  maxCell?: number;
  indent?: string;
}

export function renderTable(header: string[], rows: string[][], options: TableOptions = {}): string[] {
  const max = options.maxCell ?? 60;
  const indent = options.indent ?? '';
  const cut = (cell: string) =>
    visibleLength(cell) > max && cell === stripSafe(cell) ? `${cell.slice(0, max - 1)}…` : cell;
  const all = [header, ...rows].map((row) => row.map(cut));
  // A loop, not Math.max(...cells): spreading 130,000 rows overflows the call stack (issue 9 finding 8).
  const widths = header.map((_, i) => all.reduce((w, row) => Math.max(w, visibleLength(row[i] ?? '')), 0));
  const line = (row: string[]) =>
    indent +
    row
      .map((cell, i) =>
        i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - visibleLength(cell)),
      )
      .join('  ')
      .trimEnd();
  const [head, ...body] = all;
  return [line(head ?? []), indent + widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)];
}

// Cells with colour codes are never cut (cutting could split an escape sequence).
function stripSafe(cell: string): string {
  return cell.includes('\u001b[') ? '' : cell;
}
