// A small RFC 4180 CSV reader and writer: quoted fields may hold commas, quotes ("") and line breaks;
// records end in CRLF or LF. Pure, so the renderer can preview an import with the same rules.
//
// These files are opened in spreadsheets, and a shared workspace is not ours: a cell that starts with
// = + - @, a tab or a CR is a formula to Excel, LibreOffice and Sheets (`=HYPERLINK(…)`, `=cmd|' /C calc'!A0`).
// Following the OWASP CSV-injection guidance, writeCsv prefixes such a cell with a single quote and
// quotes it, so the spreadsheet shows text. To keep the round trip exact, a value that already starts
// with quotes followed by one of those characters ('=x) gets one more quote, and parseCsv removes exactly
// one leading quote from a cell of that shape: export(v) → import gives v back for every v. A cell written
// by hand as '=x therefore reads as =x — a plain string: nothing here (or in any caller) evaluates a cell.

export interface CsvRecord {
  /** 1-based record number (the header is record 1), as a spreadsheet shows rows. */
  row: number;
  /** 1-based line where the record starts (a quoted field may span lines). */
  line: number;
  fields: string[];
}

export interface CsvParseResult {
  records: CsvRecord[];
  errors: Array<{ row: number; line: number; message: string }>;
}

export function parseCsv(text: string): CsvParseResult {
  const input = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // Excel writes a BOM.
  const records: CsvRecord[] = [];
  const errors: CsvParseResult['errors'] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  let quoted = false;
  let fieldStarted = false;

  const endField = () => {
    fields.push(field);
    field = '';
    fieldStarted = false;
  };
  const endRecord = () => {
    endField();
    // A line with nothing on it is not a record (RFC 4180 allows none; files often end with one).
    if (!(fields.length === 1 && fields[0] === '')) {
      records.push({ row: records.length + 1, line: recordLine, fields });
    }
    fields = [];
  };

  while (i < input.length) {
    const ch = input[i]!;
    if (quoted) {
      if (ch === '"') {
        if (input[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        // After a closing quote only a separator or the end of the record may follow.
        const next = input[i];
        if (next !== undefined && next !== ',' && next !== '\n' && next !== '\r') {
          errors.push({
            row: records.length + 1,
            line,
            message: `Text after a closing quote in field ${fields.length + 1}: quote the whole field and double any " inside it.`,
          });
          while (i < input.length && input[i] !== ',' && input[i] !== '\n' && input[i] !== '\r')
            field += input[i++];
        }
        continue;
      }
      if (ch === '\n') line += 1;
      field += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
      i += 1;
      continue;
    }
    if (ch === ',') {
      endField();
      i += 1;
      continue;
    }
    if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && input[i + 1] === '\n' ? 2 : 1;
      line += 1;
      recordLine = line;
      continue;
    }
    field += ch;
    fieldStarted = true;
    i += 1;
  }
  if (quoted) {
    errors.push({
      row: records.length + 1,
      line: recordLine,
      message: 'A quoted field is never closed: the file is cut off or a quote is missing.',
    });
  }
  if (field !== '' || fields.length || fieldStarted) endRecord();
  for (const record of records) record.fields = record.fields.map(restoreCell);
  return { records, errors };
}

/** A cell a spreadsheet would run as a formula, possibly already behind our neutralising quotes. */
const FORMULA_SHAPED = /^'*[=+\-@\t\r]/;
const NEUTRALISED = /^'+[=+\-@\t\r]/;

/** The cell as written to a file a spreadsheet may open: formula-shaped text gets a leading quote. */
export function neutraliseCell(value: string): string {
  return FORMULA_SHAPED.test(value) ? `'${value}` : value;
}

/** The inverse of neutraliseCell: the value as it was before export. */
export function restoreCell(cell: string): string {
  return NEUTRALISED.test(cell) ? cell.slice(1) : cell;
}

/** Writes records as RFC 4180 CSV (CRLF line ends), quoting the fields that need it, formulas neutralised. */
export function writeCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((fields) => fields.map(quoteField).join(',')).join('\r\n') + '\r\n';
}

function quoteField(value: string): string {
  const cell = neutraliseCell(value);
  return cell !== value || /[",\r\n]|^\s|\s$/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}
