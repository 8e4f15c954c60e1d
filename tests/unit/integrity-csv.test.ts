import { csvCell, toCsv } from '../../lib/csv';

// The CSV writer of the credit feed: RFC 4180 quoting and line ends, UTF-8 text as is, and
// cells a spreadsheet would run as a formula turned into text (OWASP "CSV injection").

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['cr\rlf\r\n', '"cr\rlf\r\n"'],
    ['哈尔滨市交通局', '哈尔滨市交通局'],
    ['  spaced  ', '  spaced  '],
  ])('writes %j as %j', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it.each([
    ['=1+1', "'=1+1"],
    ['+86 451', "'+86 451"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTAB', "'\tTAB"],
    ['\rCR', '"\'\rCR"'],
    ['=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
    ['a=1', 'a=1'],
    ["'quoted", "''quoted"],
  ])('neutralises the formula %j as %j', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it('writes null and undefined as empty cells, dates as ISO 8601 UTC, and numbers, booleans and bigints as they are', () => {
    expect([null, undefined].map(csvCell)).toEqual(['', '']);
    expect(csvCell(new Date('2026-03-31T00:00:00+08:00'))).toBe('2026-03-30T16:00:00.000Z');
    expect([-5, 1.5, true, 12345678901234567890n].map(csvCell)).toEqual(['-5', '1.5', 'true', '12345678901234567890']);
  });
});

describe('toCsv', () => {
  it('writes a header row and one CRLF-terminated row per record, in field order', () => {
    const fields = ['id', 'name', 'note'] as const;
    const csv = toCsv(fields, [
      { note: 'x, y', name: '=evil()', id: 'IR-1' },
      { id: 'IR-2', name: null, note: '多行\n文本' },
    ]);
    expect(csv).toBe('id,name,note\r\nIR-1,\'=evil(),"x, y"\r\nIR-2,,"多行\n文本"\r\n');
  });

  it('is lossless: removing one leading single quote from each text cell gives back the value', () => {
    for (const v of ['=1', "'=1", "''", 'plain', '-', '@', "it's"]) {
      const cell = csvCell(v).replace(/^"([\s\S]*)"$/, (_m, inner: string) => inner.replace(/""/g, '"'));
      expect(cell.startsWith("'") ? cell.slice(1) : cell).toBe(v);
    }
  });

  it('writes only the header when there are no records', () => {
    expect(toCsv(['a', 'b'] as const, [])).toBe('a,b\r\n');
  });
});
