// A small RFC 4180 CSV reader and writer: quoted fields may hold commas, quotes ("") and line breaks;
// records end in CRLF or LF. Pure, so the renderer can preview an import with the same rules.

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
  return { records, errors };
}

/** Writes records as RFC 4180 CSV (CRLF line ends), quoting only the fields that need it. */
export function writeCsv(rows: readonly (readonly string[])[]): string {
  return rows.map((fields) => fields.map(quoteField).join(',')).join('\r\n') + '\r\n';
}

function quoteField(value: string): string {
  return /[",\r\n]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
