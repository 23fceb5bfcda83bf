/**
 * Feeding and reading onnxruntime tensors in the dtype a session declares: the engine computes in
 * float32, float16 models get Uint16Array half floats at the boundary.
 */
import * as ort from 'onnxruntime-node';
import { CamtrackError } from '../util/errors';
import { fromFloat16, toFloat16 } from './float16';

export type FloatType = 'float32' | 'float16';

/** A float tensor of the session's type; `half` is an optional reusable buffer for the float16 bits. */
export function floatTensor(
  type: FloatType | 'int64' | undefined,
  data: Float32Array,
  dims: number[],
  half?: Uint16Array,
): ort.Tensor {
  if (type === 'float16')
    return new ort.Tensor('float16', toFloat16(data, half && half.length === data.length ? half : undefined), dims);
  return new ort.Tensor('float32', data, dims);
}

export function int64Scalar(value: number): ort.Tensor {
  return new ort.Tensor('int64', BigInt64Array.from([BigInt(value)]), []);
}

/**
 * A float output as float32, checking its size and that it is finite. onnxruntime-node hands each
 * run's outputs over in fresh buffers, so float32 data is used as it is, without a copy.
 */
export function readFloat(t: ort.Tensor | undefined, expected: number, what: string): Float32Array {
  if (!t) throw new CamtrackError('model', `${what}: the model returned no such output.`);
  let out: Float32Array;
  if (t.type === 'float16') out = fromFloat16(t.data as Uint16Array);
  else if (t.type === 'float32') out = t.data as Float32Array;
  else throw new CamtrackError('model', `${what}: the model returned ${t.type}, expected float32 or float16.`);
  if (out.length !== expected)
    throw new CamtrackError(
      'model',
      `${what}: the model returned ${out.length} values [${t.dims.join(',')}], expected ${expected}.`,
    );
  for (let i = 0; i < out.length; i++) {
    const v = out[i];
    // v - v is 0 for finite v and NaN for NaN and +-Infinity.
    if (v - v !== 0)
      throw new CamtrackError(
        'model',
        `${what}: the model returned a non-finite value (${out[i]}) at element ${i}; a float16 model may have overflowed.`,
      );
  }
  return out;
}
