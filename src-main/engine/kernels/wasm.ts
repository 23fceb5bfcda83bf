/**
 * Loading a kernel (assembly/*.ts compiled into a base64 module by scripts/build-kernels.mjs) and
 * laying out its memory. Kernels are built with AssemblyScript's `--runtime stub` (a bump
 * allocator with no garbage collector) and never allocate: the caller places its arrays from the module's heap base on, 16-byte aligned for SIMD loads.
 */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
}

const modules = new Map<string, WebAssembly.Module>();

/** A fresh instance (its own memory) of the kernel whose bytes are `base64`; the module is compiled once per thread. */
export function instantiateKernel<T extends KernelExports>(name: string, base64: string): T {
  let module = modules.get(name);
  if (!module) {
    module = new WebAssembly.Module(Buffer.from(base64, 'base64'));
    modules.set(name, module);
  }
  // abort is only reachable through assertions, which the build compiles out.
  const instance = new WebAssembly.Instance(module, {
    env: {
      abort: () => {
        throw new Error(`${name} kernel aborted`);
      },
    },
  });
  return instance.exports as unknown as T;
}

export const align16 = (n: number): number => (n + 15) & ~15;

/** Grows `memory` so that it holds `end` bytes (what it held stays; views made before are detached). */
export function growTo(memory: WebAssembly.Memory, end: number): void {
  const have = memory.buffer.byteLength;
  if (end > have) memory.grow(Math.ceil((end - have) / 65536));
}

/** A resolved frame, copied out of a kernel's memory: float RGB colours (and z) of `pixels` pixels. */
export function frameArrays(
  memory: WebAssembly.Memory,
  imagePtr: number,
  zPtr: number,
  pixels: number,
  holeCount: number,
  withDepth: boolean,
): { image: Float32Array; holeCount: number; depth?: Float32Array } {
  const image = new Float32Array(memory.buffer, imagePtr, pixels * 3).slice();
  return withDepth
    ? { image, holeCount, depth: new Float32Array(memory.buffer, zPtr, pixels).slice() }
    : { image, holeCount };
}

/**
 * A warp's per-source inputs into kernel memory: the 3x4 source-to-target transform (float64 x 12)
 * at tPtr, and each source column's ray (u + 0.5 - cx) / fx at rayPtr.
 */
export function writeTransformAndRays(
  memory: WebAssembly.Memory,
  tPtr: number,
  rayPtr: number,
  T: ArrayLike<number>,
  sk: { width: number; cx: number; fx: number },
): void {
  const tv = new Float64Array(memory.buffer, tPtr, 12);
  for (let i = 0; i < 12; i++) tv[i] = T[i];
  const ray = new Float64Array(memory.buffer, rayPtr, sk.width);
  for (let u = 0; u < sk.width; u++) ray[u] = (u + 0.5 - sk.cx) / sk.fx;
}
