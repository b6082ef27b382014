/** Human-readable figures, shared by the status bar, views, hints and the CLI. Binary units throughout. */

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 1536 -> "1.5 KiB"; three significant digits at most, whole bytes below 1 KiB. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '?';
  const sign = bytes < 0 ? '-' : '';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${sign}${Math.round(value)} B`;
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${sign}${value.toFixed(digits)} ${UNITS[unit]}`;
}

/**
 * 1234567 -> "1,234,567", exactly as toLocaleString('en-US') writes it. Whole numbers are grouped
 * here: the first toLocaleString of a process sets up ICU's number formatting, 15-30 ms of a CLI
 * call's start-up. Anything else (fractions, beyond 2^53, -0, NaN) is left to toLocaleString.
 */
export function formatCount(n: number): string {
  if (!Number.isSafeInteger(n) || Object.is(n, -0)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return n < 0 ? `-${out}` : out;
}

/** Bytes as GiB with one decimal, without the unit: for "RAM 9.2/23.5 GiB". */
export function toGiB(bytes: number): string {
  return (bytes / 1024 ** 3).toFixed(1);
}

/** A quick estimate's +-: "±1.3%", "±<0.1%" (one decimal would round a small one to a claim of ±0.0%). */
export function formatUncertainty(percent: number): string {
  return percent < 0.1 ? '±<0.1%' : `±${percent.toFixed(1)}%`;
}

/** Parses "2GB", "512 MiB", "1.5g", "1024" (bytes) into bytes; undefined when unreadable. GB and GiB both mean 1024^3. */
export function parseBytes(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*$/i.exec(text);
  if (!match) return undefined;
  const power = ['', 'k', 'm', 'g', 't'].indexOf(match[2].toLowerCase());
  return Math.round(Number(match[1]) * 1024 ** power);
}
