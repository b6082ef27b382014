/** Words a scan problem the way pandas would report it, with the line number pandas counts. */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { MAX_RECORD_BYTES } from './rangeScan';
import type { FootprintScanProblem } from './workerProtocol';
import { FootprintError } from './types';

/**
 * 1-based line of byte `offset` as pandas' tokenizer counts lines: every line terminator outside
 * quotes (blank lines included, newlines inside quoted fields not).
 */
export async function lineAt(path: string, compression: 'gzip' | null, offset: number): Promise<number> {
  const file = createReadStream(path, { end: compression ? undefined : Math.max(0, offset - 1) });
  const source: AsyncIterable<Buffer> = compression ? file.pipe(createGunzip()) : file;
  let line = 1;
  let inQuotes = false;
  let pos = 0;
  let prevCR = false;
  try {
    for await (const chunk of source) {
      const n = Math.min(chunk.length, offset - pos);
      for (let i = 0; i < n; i++) {
        const b = chunk[i];
        if (b === 34) inQuotes = !inQuotes;
        else if (!inQuotes && (b === 10 ? !prevCR : b === 13)) line++;
        prevCR = b === 13;
      }
      pos += n;
      if (pos >= offset) break;
    }
  } finally {
    file.destroy();
  }
  return line;
}

export async function problemToError(
  problem: FootprintScanProblem,
  path: string,
  compression: 'gzip' | null,
  encoding: string,
): Promise<FootprintError> {
  const line = await lineAt(path, compression, problem.offset);
  switch (problem.kind) {
    case 'ragged':
      return new FootprintError(
        'ragged',
        `pandas would fail: "Error tokenizing data. C error: Expected ${problem.expected} fields in line ${line}, saw ${problem.saw}".`,
        `Fix line ${line} (a stray separator or an unquoted field containing one), or pass on_bad_lines='skip' to read_csv to drop such rows.`,
      );
    case 'encoding': {
      const byte = (problem.byte ?? 0).toString(16).padStart(2, '0');
      const codec = encoding === 'utf8' ? 'utf-8' : encoding;
      const c1 = (problem.byte ?? 0) >= 0x80 && (problem.byte ?? 0) < 0xa0;
      return new FootprintError(
        'encoding',
        `The file is not valid ${codec}: byte 0x${byte} at offset ${problem.offset} (line ${line}) cannot be decoded, so pandas.read_csv raises UnicodeDecodeError ("'${codec}' codec can't decode byte 0x${byte}").`,
        encoding === 'utf8'
          ? `Pass the file's encoding to read_csv, e.g. encoding='${c1 ? 'cp1252' : 'latin-1'}'${c1 ? " (Windows text; 'latin-1' also never fails)" : ''}.`
          : "Pass the file's real encoding to read_csv.",
      );
    }
    case 'eof-in-quotes':
      return new FootprintError(
        'ragged',
        `pandas would fail: "Error tokenizing data. C error: EOF inside string" — the quote opened on line ${line} is never closed.`,
        `Close the quote on line ${line}, or pass quoting=csv.QUOTE_NONE if quotes are not field delimiters in this file.`,
      );
    case 'record-too-long':
      return new FootprintError(
        'unsupported',
        `Line ${line} is longer than ${MAX_RECORD_BYTES >> 20} MiB: Headroom does not scan records that long (pandas may read it, given at least that much memory for the one record).`,
        'If this is not meant to be one record, check the quotes and the separator.',
      );
  }
}
