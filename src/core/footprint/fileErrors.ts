/**
 * Errors opening or decoding a dataset file, worded as what they are (and what pandas would raise),
 * not as a permissions problem or a bare zlib message.
 */
import { FootprintError } from './types';

/** Why `path` cannot be opened, from the errno code of the failed call. */
export function openError(path: string, code: string | undefined, detail: string): FootprintError {
  switch (code) {
    case 'ENOENT':
      return new FootprintError(
        'missing',
        `${path} does not exist.`,
        'Check the path; pandas would raise FileNotFoundError.',
      );
    case 'ELOOP':
      return new FootprintError(
        'unreadable',
        `${path} is a loop of symbolic links (ELOOP): no file is at the end of it.`,
        'Fix the symbolic link; pandas would raise OSError "Too many levels of symbolic links".',
      );
    case 'ENAMETOOLONG':
      return new FootprintError('unreadable', `The path is too long (ENAMETOOLONG): ${path}`, 'Use a shorter path.');
    case 'ENOTDIR':
      return new FootprintError(
        'missing',
        `${path} does not exist: a part of the path is a file, not a folder (ENOTDIR).`,
        'Check the path; pandas would raise NotADirectoryError.',
      );
    case 'EISDIR':
      return new FootprintError('unreadable', `${path} is a folder, not a file.`, 'Pick a CSV, TSV or Parquet file.');
    case 'EACCES':
    case 'EPERM':
      return new FootprintError(
        'unreadable',
        `${path} cannot be read (${code}: permission denied).`,
        'Check the file permissions; pandas would raise PermissionError.',
      );
    default:
      return new FootprintError(
        'unreadable',
        `${path} cannot be read (${code ?? detail}).`,
        'Check the file and the disk.',
      );
  }
}

/**
 * zlib's "unexpected end of file" on a .gz: the stream stops before its end marker. From a pool
 * worker the error arrives cloned, without its code: its message is all that is left.
 */
export function isTruncatedGzip(error: unknown): boolean {
  const e = error as NodeJS.ErrnoException | undefined;
  return e?.code === 'Z_BUF_ERROR' || e?.message === 'unexpected end of file';
}

export function truncatedGzipError(): FootprintError {
  return new FootprintError(
    'unreadable',
    `The gzip stream is truncated (it ends before its end-of-stream marker; zlib: unexpected end of file).`,
    'Check that the file was fully written or downloaded; pandas would raise EOFError "Compressed file ended before the end-of-stream marker was reached".',
  );
}

/** What a failed read of a gzip stream means for the user: truncated, or else corrupt. */
export function gzipReadError(error: unknown): FootprintError {
  if (error instanceof FootprintError) return error;
  if (isTruncatedGzip(error)) return truncatedGzipError();
  return new FootprintError(
    'unreadable',
    `The gzip data is corrupt or truncated (${(error as Error).message}).`,
    'Re-create or re-download the file; pandas would fail the same way.',
  );
}

/** A byte-order mark for UTF-16 (either order): text pandas' default UTF-8 cannot read. */
export function utf16Bom(head: Buffer): 'utf-16-le' | 'utf-16-be' | null {
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'utf-16-le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf-16-be';
  return null;
}

export function utf16Error(path: string, kind: 'utf-16-le' | 'utf-16-be'): FootprintError {
  return new FootprintError(
    'encoding',
    `${path} is UTF-16 text (${kind === 'utf-16-le' ? 'little' : 'big'}-endian, it starts with a byte-order mark), not UTF-8: pandas' default encoding raises UnicodeDecodeError.`,
    "Read it with encoding='utf-16'. Headroom models UTF-8, latin-1 and cp1252 files: to get a footprint, save a UTF-8 copy.",
  );
}

export function emptyParquetError(path: string): FootprintError {
  return new FootprintError(
    'parquet',
    `${path} is empty (0 bytes): pandas raises ArrowInvalid "Parquet file size is 0 bytes".`,
    'Check that the file was fully written.',
  );
}
