/**
 * Loads the WebAssembly scan kernel (wasm/scanKernel/, built by scripts/build-kernel.mjs) and names
 * its exports. The module is compiled once (the footprint workers share their pool's thread's); every
 * CsvScanner gets an instance of its own, whose memory is released with it.
 */
import { scanKernelBase64 } from './scanKernelBinary';

/** The WebAssembly API as used here (the host tsconfig has no DOM or WebAssembly typings). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: object };
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

export interface ScanKernel {
  memory: { buffer: ArrayBuffer };
  alloc(size: number): number;
  setup(
    ncols: number,
    delimiter: number,
    maxRows: number,
    utf8: number,
    plainNumbersArentNa: number,
    microRows: number,
    firstRow: number,
    distinctCap: number,
    budgetLimit: number,
    fastPaths: number,
  ): number;
  addNaSpelling(at: number, len: number): void;
  giveUp(col: number): void;
  feed(start: number, end: number, eof: number, base: number, stopAt: number): number;
  setParsed(value: number, intRange: number, negative: number, pyIntSize: number, sig: number): void;
  setText(codePoints: number, maxCodePoint: number, utf8Bytes: number): void;
  globalsAt(): number;
  rowCount(): number;
  problemKind(): number;
  problemAt(): number;
  problemFields(): number;
  wasStopped(): number;
  /** From now on each field's value ends at its first NUL byte (as in pandas' C parser). */
  setNulCut(): void;
  fieldBase(): number;
  setOverflowed(col: number): number;
  setEntries(col: number): number;
  /** 1 when the column's set holds the value at [at, at + len) of the kernel's memory. */
  setHas(col: number, at: number, len: number): number;
  setValueAt(col: number, i: number): number;
  setValueLength(col: number, i: number): number;
  flushNow(): void;
  cut(): void;
}

/** What the kernel calls back for the rarer field shapes; addresses are into its memory. */
export interface ScanKernelCallbacks {
  classifySlow(s: number, e: number): number;
  measureText(s: number, e: number): number;
  dateSignature(s: number, e: number): number;
  float32Keeps(v: number, sig: number): number;
  flushBlock(fill: number, start: number): void;
}

export const PROBLEM_EOF_IN_QUOTES = 1;
export const PROBLEM_RAGGED = 2;
export const PROBLEM_ENCODING = 3;

let compiled: object | null = null;

/**
 * The kernel's module, compiled once per thread, unless the thread was given one (useCompiledKernel).
 * Threads that share a module share its code: V8 compiles a hot function's optimized code once for all.
 * (Each worker compiling its own, two workers on a 180 MB file took 55-105 ms more CPU, in fresh processes.)
 */
export function compiledKernel(): object {
  compiled ??= new wasm.Module(Buffer.from(scanKernelBase64, 'base64'));
  return compiled;
}

/** Adopts the module another thread compiled (a worker's FootprintWorkerData). */
export function useCompiledKernel(module: object): void {
  compiled = module;
}

/** A kernel instance and the scanner it serves now (its callbacks go there). */
export interface PooledKernel {
  exports: ScanKernel;
  owner: ScanKernelCallbacks | null;
}

/** Kernels of finished scans, kept for the next ones: an instance's memory is freed only by the GC. */
const idle: PooledKernel[] = [];
const IDLE_KERNELS = 2;

function instantiate(): PooledKernel {
  const kernel: PooledKernel = { exports: null as unknown as ScanKernel, owner: null };
  const owner = () => kernel.owner!;
  const callbacks: ScanKernelCallbacks = {
    classifySlow: (s, e) => owner().classifySlow(s, e),
    measureText: (s, e) => owner().measureText(s, e),
    dateSignature: (s, e) => owner().dateSignature(s, e),
    float32Keeps: (v, sig) => owner().float32Keeps(v, sig),
    flushBlock: (fill, start) => owner().flushBlock(fill, start),
  };
  kernel.exports = new wasm.Instance(compiledKernel(), { host: { ...callbacks } }).exports as unknown as ScanKernel;
  return kernel;
}

/** A kernel for one scan; its setup() starts it afresh. */
export function acquireKernel(owner: ScanKernelCallbacks): PooledKernel {
  const kernel = idle.pop() ?? instantiate();
  kernel.owner = owner;
  return kernel;
}

/** Gives a finished scan's kernel back (a scan that is dropped instead leaves its kernel to the GC). */
export function releaseKernel(kernel: PooledKernel): void {
  kernel.owner = null;
  if (idle.length < IDLE_KERNELS) idle.push(kernel);
}
