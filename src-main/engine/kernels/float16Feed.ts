import { WASM_BASE64 } from './float16.wasm';
import { align16, growTo, instantiateKernel, type KernelExports } from './wasm';

/**
 * The float16 feed of a float16 UNet, written by a WebAssembly SIMD kernel (assembly/float16.ts):
 * converting the 25 x 4 x 72 x 128 latent value by value in JavaScript took 20 ms a step on a
 * 2-core machine, the kernel takes a few. The feed lives in the kernel's own memory, so the
 * converted halves are written where onnxruntime reads them: `data` is handed to the tensor as is.
 *
 * Values are scaled in float32 (the scale rounded to float32 first, one rounding of the product,
 * as a float32 tensor op does) and rounded to nearest-even halves; float16Feed.test.ts checks
 * every case against float32ToFloat16Bits.
 */
interface Float16Exports extends KernelExports {
  scaleToHalf(src: number, dst: number, count: number, scale: number): void;
}

export class Float16Feed {
  /** The whole feed, float16 bit patterns (a view of the kernel's memory that never moves). */
  readonly data: Uint16Array;
  private readonly kernel: Float16Exports;
  private readonly staging: Float32Array;
  private readonly stagingPtr: number;
  private readonly dataPtr: number;

  /** A feed of `length` halves, written `maxChunk` float32 values at most per call. */
  constructor(length: number, maxChunk: number) {
    if (!Number.isInteger(length) || length <= 0 || !Number.isInteger(maxChunk) || maxChunk <= 0)
      throw new RangeError(`Float16Feed: bad sizes ${length}, ${maxChunk}`);
    this.kernel = instantiateKernel<Float16Exports>('float16', WASM_BASE64);
    const memory = this.kernel.memory;
    this.stagingPtr = align16(this.kernel.heapBase());
    this.dataPtr = align16(this.stagingPtr + maxChunk * 4);
    growTo(memory, this.dataPtr + length * 2);
    this.staging = new Float32Array(memory.buffer, this.stagingPtr, maxChunk);
    this.data = new Uint16Array(memory.buffer, this.dataPtr, length);
  }

  /** data[outOffset + i] = half(fround(scale) x src[start + i]) for i < count. */
  writeScaled(src: Float32Array, scale: number, outOffset: number, start = 0, count = src.length - start): void {
    if (start < 0 || count < 0 || start + count > src.length || outOffset < 0 || outOffset + count > this.data.length) {
      throw new RangeError(
        `Float16Feed: ${count} values from ${start} into ${outOffset} do not fit (${src.length} -> ${this.data.length})`,
      );
    }
    for (let done = 0; done < count; done += this.staging.length) {
      const m = Math.min(this.staging.length, count - done);
      this.staging.set(src.subarray(start + done, start + done + m));
      this.kernel.scaleToHalf(this.stagingPtr, this.dataPtr + (outOffset + done) * 2, m, scale);
    }
  }
}
