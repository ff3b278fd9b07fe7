import { inflateSync } from 'node:zlib';

/**
 * The text of a PDF PDFKit wrote, read offline without a PDF library: each content stream is inflated (PDFKit
 * compresses them with Flate, which Node's zlib reads), then each `<hex> Tj` and `[<hex> kerning <hex> …] TJ` text
 * operator becomes one string. PDFKit writes the built-in fonts' text as hex codes of WinAnsi, which is Latin-1 for
 * the characters a statement uses (€ and dashes aside).
 */
export function pdfTextRuns(pdf: Buffer): string[] {
  const runs: string[] = [];
  for (const content of streams(pdf)) {
    const operators = /\[((?:<[0-9a-fA-F]*>|[-\d.\s])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj/g;
    for (let match = operators.exec(content); match; match = operators.exec(content)) {
      const hexes = match[1] !== undefined ? [...match[1].matchAll(/<([0-9a-fA-F]*)>/g)].map((m) => m[1]) : [match[2]];
      runs.push(hexes.map(decodeWinAnsi).join(''));
    }
  }
  return runs;
}

/** Every stream's bytes as Latin-1 text, inflated when it inflates (uncompressed ones as they are). */
function streams(pdf: Buffer): string[] {
  const found: string[] = [];
  for (let at = pdf.indexOf('stream\n'); at !== -1; at = pdf.indexOf('stream\n', at + 1)) {
    if (pdf.subarray(at - 3, at).toString('latin1') === 'end') continue;
    const end = pdf.indexOf('\nendstream', at);
    if (end === -1) break;
    const bytes = pdf.subarray(at + 'stream\n'.length, end);
    try {
      found.push(inflateSync(bytes).toString('latin1'));
    } catch {
      found.push(bytes.toString('latin1'));
    }
  }
  return found;
}

const WIN_ANSI: Record<number, string> = { 0x80: '€', 0x96: '–', 0x97: '—' };

function decodeWinAnsi(hex: string): string {
  let text = '';
  for (let i = 0; i + 1 < hex.length; i += 2) {
    const code = parseInt(hex.slice(i, i + 2), 16);
    text += WIN_ANSI[code] ?? String.fromCharCode(code);
  }
  return text;
}
