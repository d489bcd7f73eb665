import { describe, expect, it } from 'vitest';
import { safeFileName } from './safe-file-name.js';

/** No lone surrogate: every high surrogate is followed by a low one and every low one preceded by a high one. */
const wellFormed = (text: string) =>
  !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

describe('safeFileName', () => {
  it('keeps an ordinary name as it is', () => {
    expect(safeFileName('holiday photo (2).jpeg')).toBe('holiday photo (2).jpeg');
    expect(safeFileName('Résumé – 履歴書.pdf')).toBe('Résumé – 履歴書.pdf');
    expect(safeFileName('😀 party.png')).toBe('😀 party.png');
  });

  it.each([
    ['../../etc/passwd', 'passwd'],
    ['/etc/shadow', 'shadow'],
    ['C:\\x\\y.txt', 'y.txt'],
    ['..\\..\\Windows\\System32\\evil.dll', 'evil.dll'],
    ['mixed/slashes\\and/more\\name.md', 'name.md'],
  ])('strips the folders of %j', (name, safe) => {
    expect(safeFileName(name)).toBe(safe);
  });

  it('gives "file" for a name that is only folders, or ends with a separator', () => {
    expect(safeFileName('folder/')).toBe('file');
    expect(safeFileName('C:\\')).toBe('file');
    expect(safeFileName('../..')).toBe('file');
  });

  it('replaces control characters, C0 and C1 and DEL', () => {
    expect(safeFileName('a\u0000b\u0007c\nd\te\r.txt')).toBe('a_b_c_d_e_.txt');
    expect(safeFileName('x\u007fy\u0080z\u009f.bin')).toBe('x_y_z_.bin');
  });

  it('replaces bidirectional overrides and marks, so "exe" cannot pose as "txt"', () => {
    // "invoice‮txt.exe" displays as "invoiceexe.txt".
    expect(safeFileName('invoice\u202Etxt.exe')).toBe('invoice_txt.exe');
    expect(safeFileName('a\u202Ab\u202Bc\u202Cd\u202De.txt')).toBe('a_b_c_d_e.txt');
    expect(safeFileName('a\u200Eb\u200Fc\u2066d\u2067e\u2068f\u2069.txt')).toBe('a_b_c_d_e_f_.txt');
  });

  it('replaces the characters Windows refuses in a name', () => {
    expect(safeFileName('a<b>c:d"e|f?g*h.txt')).toBe('a_b_c_d_e_f_g_h.txt');
  });

  it('drops leading dots and spaces: no hidden file, no "..", no "."', () => {
    expect(safeFileName('.bashrc')).toBe('bashrc');
    expect(safeFileName('...hidden.txt')).toBe('hidden.txt');
    expect(safeFileName('  . .profile')).toBe('profile');
    expect(safeFileName('..')).toBe('file');
    expect(safeFileName('.')).toBe('file');
  });

  it('drops trailing dots and spaces, which Windows would silently remove', () => {
    expect(safeFileName('report.pdf.')).toBe('report.pdf');
    expect(safeFileName('report.pdf . . ')).toBe('report.pdf');
    expect(safeFileName('notes   ')).toBe('notes');
  });

  it('gives "file" when nothing is left', () => {
    expect(safeFileName('')).toBe('file');
    expect(safeFileName('   ')).toBe('file');
    expect(safeFileName('. . .')).toBe('file');
  });

  it('normalizes to NFC', () => {
    expect(safeFileName('Cafe\u0301.txt')).toBe('Caf\u00e9.txt');
  });

  it('shortens a long name to 120 code units, keeping the extension', () => {
    const safe = safeFileName('a'.repeat(300) + '.pdf');
    expect(safe).toHaveLength(120);
    expect(safe).toBe('a'.repeat(116) + '.pdf');
  });

  it('keeps a name of exactly 120 code units whole', () => {
    const name = 'b'.repeat(116) + '.txt';
    expect(safeFileName(name)).toBe(name);
    expect(safeFileName(name + 'x')).toBe('b'.repeat(115) + '.txtx');
  });

  it('does not take a long "extension" (over 16 units) for one, nor a dot of the name', () => {
    const longTail = 'c'.repeat(100) + '.' + 'd'.repeat(40);
    expect(safeFileName(longTail)).toBe(longTail.slice(0, 120));
    const noDot = 'e'.repeat(200);
    expect(safeFileName(noDot)).toBe('e'.repeat(120));
  });

  it('does not cut a surrogate pair in half when shortening', () => {
    // 115 letters, then emoji (two code units each): the cut at 116 falls inside the first emoji.
    const safe = safeFileName('a'.repeat(115) + '😀'.repeat(10) + '.txt');
    expect(wellFormed(safe)).toBe(true);
    expect(safe.length).toBeLessThanOrEqual(120);
    expect(safe).toBe('a'.repeat(115) + '.txt');
    // Without an extension, the same.
    const bare = safeFileName('a'.repeat(119) + '😀'.repeat(10));
    expect(wellFormed(bare)).toBe(true);
    expect(bare).toBe('a'.repeat(119));
  });

  it('does not end in a space or dot after shortening', () => {
    expect(safeFileName('a'.repeat(119) + ' ' + 'b'.repeat(30))).toBe('a'.repeat(119));
    expect(safeFileName('a'.repeat(118) + '..' + 'b'.repeat(30))).toBe('a'.repeat(118));
  });

  it('treats every hostile part at once', () => {
    expect(safeFileName('../..\\ . \u202Egnp.exe\u0000 . ')).toBe('_gnp.exe_');
  });
});
