// AssemblyScript (compiled to WebAssembly by scripts/build-kernels.mjs; not part of the TypeScript
// project). The float16 feed of a float16 UNet: dst[i] = half(f32(scale) * src[i]) for every
// float32 in src, 8 values per iteration with 128-bit SIMD. The same steps as float32ToFloat16Bits
// in ../../models/float16.ts, branch-free:
//  - normal halves: add 0xfff plus the lowest kept mantissa bit (round to nearest even, carrying
//    into the exponent up to Infinity at 65520), re-bias the exponent, drop 13 bits;
//  - subnormal halves and zero: |v| + 0.5 in float32 rounds |v| to a multiple of 2^-24 (nearest
//    even), so the bits above 0.5's are the half's mantissa (Giesen's float_to_half_fast3);
//  - |v| >= 65536, Infinity: 0x7c00; NaN: the quiet NaN 0x7e00; the sign copied in.

@inline function half4(x: v128, scale: v128): v128 {
  const v = f32x4.mul(x, scale);
  const a = v128.and(v, i32x4.splat(0x7fffffff));
  const sign = v128.and(i32x4.shr_u(v, 16), i32x4.splat(0x8000));
  const lowBit = v128.and(i32x4.shr_u(a, 13), i32x4.splat(1));
  const normal = i32x4.shr_u(i32x4.sub(i32x4.add(i32x4.add(a, i32x4.splat(0x0fff)), lowBit), i32x4.splat(0x38000000)), 13);
  const subnormal = i32x4.sub(f32x4.add(a, f32x4.splat(0.5)), i32x4.splat(0x3f000000));
  const special = v128.bitselect(i32x4.splat(0x7e00), i32x4.splat(0x7c00), i32x4.gt_u(a, i32x4.splat(0x7f800000)));
  let h = v128.bitselect(subnormal, normal, i32x4.lt_u(a, i32x4.splat(0x38800000)));
  h = v128.bitselect(special, h, i32x4.ge_u(a, i32x4.splat(0x47800000)));
  return v128.or(h, sign);
}

@inline function half1(x: f32, scale: f32): u16 {
  const v = reinterpret<u32>(x * scale);
  const a = v & 0x7fffffff;
  let h: u32;
  if (a >= 0x47800000) h = a > 0x7f800000 ? 0x7e00 : 0x7c00;
  else if (a < 0x38800000) h = reinterpret<u32>(reinterpret<f32>(a) + <f32>0.5) - 0x3f000000;
  else h = (a + 0x0fff + ((a >>> 13) & 1) - 0x38000000) >>> 13;
  return <u16>(h | ((v >>> 16) & 0x8000));
}

/** `count` float32 at byte address `src` to `count` float16 bit patterns at byte address `dst`. */
export function scaleToHalf(src: usize, dst: usize, count: i32, scale: f32): void {
  const s = f32x4.splat(scale);
  let i = 0;
  for (; i + 8 <= count; i += 8) {
    const lo = half4(v128.load(src + (<usize>i << 2)), s);
    const hi = half4(v128.load(src + (<usize>i << 2), 16), s);
    v128.store(dst + (<usize>i << 1), i16x8.narrow_i32x4_u(lo, hi));
  }
  // The last 1..7 values, one at a time.
  for (; i < count; i++) store<u16>(dst + (<usize>i << 1), half1(load<f32>(src + (<usize>i << 2)), scale));
}

/** The first byte after the module's own data: the caller's buffers start here. */
export function heapBase(): usize {
  return __heap_base;
}
