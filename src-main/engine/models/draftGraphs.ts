/**
 * The draft model: four tiny ONNX graphs with exactly the model contract (docs/design.md), whose
 * behaviour is known in closed form. They are the test models of the engine and the studio's
 * built-in model, which works on a fresh machine with no download (it makes blurry, not pretty,
 * videos; the UI says so).
 *
 * - vae_encoder: 8x8 average pooling, then latent = M p + b with a fixed 4x3 matrix M: the
 *   "distribution mode" latent, not multiplied by the latent scale.
 * - vae_decoder: p = pinv(M) (latent - b), then 8x nearest upsampling: decode(encode(img)) is img
 *   averaged over 8x8 blocks. num_frames is an input, as in the contract, and unused.
 * - image_encoder: 56x56 average pooling of the 224x224 input (4x4x3 = 48 values), times a fixed
 *   48x1024 matrix.
 * - unet: the exact denoiser of Gaussian data N(mu, s^2 I) (docs/design.md, "Oracles"), written in SVD's
 *   v-parameterisation: out = (D* - c_skip x) / c_out, so that the pipeline's preconditioning
 *   D = c_skip x + c_out out gives back D*. Its inputs: channels 0..3 of `sample` are c_in x,
 *   channels 4..7 the conditioning image latent (unscaled, as SVD's UNet receives it), and
 *   mu = latentScale * that latent. sigma = exp(4 timestep), inverting c_noise = ln(sigma) / 4.
 *   encoder_hidden_states and added_time_ids are ignored.
 *
 * Classifier-free guidance with this UNet: the unconditional pass has a zero image latent, so
 * mu = 0, and D* is linear in mu; guidance D_u + g (D_c - D_u) is then exactly the Gaussian
 * denoiser with mean g * mu. So the oracle stays exact with guidance on: frame f, guided with scale
 * g_f, lands on the probability-flow answer for mean g_f * mu.
 *
 * float16 variants take and return float16 (timestep stays float32, as the export script writes
 * it; added_time_ids is float16) and compute in float32 inside, since sigma^2 overflows half floats.
 */
import { gaussianNoise } from '../sampler/rng';
import type { ComponentName, ModelDtype } from './contract';
import {
  DRAFT_DATA_STD,
  DRAFT_LATENT_SCALE,
  DRAFT_VAE_BIAS,
  DRAFT_VAE_MATRIX,
  pseudoInverse4x3,
} from './draftConstants';
import { OnnxGraph, attr, type SerializedModel } from './onnxGraph';

export {
  DRAFT_DATA_STD,
  DRAFT_LATENT_SCALE,
  DRAFT_VAE_BIAS,
  DRAFT_VAE_MATRIX,
  pseudoInverse4x3,
} from './draftConstants';

/** The image encoder's 48x1024 projection: seeded normals / sqrt(48). */
export function draftImageProjection(): Float32Array {
  const w = gaussianNoise(48 * 1024, 20240601);
  for (let i = 0; i < w.length; i++) w[i] /= Math.sqrt(48);
  return w;
}

const CAST_TO = { float32: 1, float16: 10 } as const;

/** Declares input `name` of `dtype`; returns a float32 value (cast inside for float16). */
function floatInput(g: OnnxGraph, name: string, dtype: ModelDtype, dims: (number | string)[]): string {
  const v = g.input(name, dtype, dims);
  return dtype === 'float32' ? v : g.op('Cast', [v], { to: attr.int(CAST_TO.float32) });
}

/** Declares float32 value `v` as output `name` of `dtype`. */
function floatOutput(g: OnnxGraph, v: string, name: string, dtype: ModelDtype, dims: (number | string)[]): void {
  const out = g.op(
    dtype === 'float32' ? 'Identity' : 'Cast',
    [v],
    dtype === 'float32' ? {} : { to: attr.int(CAST_TO.float16) },
    name,
  );
  g.output(out, dtype, dims);
}

function scalar(g: OnnxGraph, name: string, value: number): string {
  return g.constant(name, 'float32', [], [value]);
}

export function buildDraftVaeEncoder(dtype: ModelDtype): OnnxGraph {
  const g = new OnnxGraph('draft_vae_encoder');
  const x = floatInput(g, 'sample', dtype, ['B', 3, 'H', 'W']);
  const pooled = g.op('AveragePool', [x], { kernel_shape: attr.ints([8, 8]), strides: attr.ints([8, 8]) });
  const w = g.constant('colour_matrix', 'float32', [4, 3, 1, 1], DRAFT_VAE_MATRIX.flat());
  const b = g.constant('colour_bias', 'float32', [4], DRAFT_VAE_BIAS);
  floatOutput(g, g.op('Conv', [pooled, w, b]), 'latent', dtype, ['B', 4, 'h', 'w']);
  return g;
}

export function buildDraftVaeDecoder(dtype: ModelDtype): OnnxGraph {
  const g = new OnnxGraph('draft_vae_decoder');
  const z = floatInput(g, 'latent_sample', dtype, ['N', 4, 'h', 'w']);
  g.input('num_frames', 'int64', []);
  const pinv = pseudoInverse4x3(DRAFT_VAE_MATRIX);
  const bias = pinv.map((row) => -row.reduce((s, v, k) => s + v * DRAFT_VAE_BIAS[k], 0));
  const w = g.constant('inverse_matrix', 'float32', [3, 4, 1, 1], pinv.flat());
  const b = g.constant('inverse_bias', 'float32', [3], bias);
  const rgb = g.op('Conv', [z, w, b]);
  const scales = g.constant('upsample_scales', 'float32', [4], [1, 1, 8, 8]);
  const up = g.op('Resize', [rgb, '', scales], { mode: attr.string('nearest') });
  floatOutput(g, up, 'sample', dtype, ['N', 3, 'H', 'W']);
  return g;
}

export function buildDraftImageEncoder(dtype: ModelDtype): OnnxGraph {
  const g = new OnnxGraph('draft_image_encoder');
  const x = floatInput(g, 'pixel_values', dtype, ['B', 3, 224, 224]);
  const pooled = g.op('AveragePool', [x], { kernel_shape: attr.ints([56, 56]), strides: attr.ints([56, 56]) });
  const flat = g.op('Flatten', [pooled], { axis: attr.int(1) });
  const w = g.constant('projection', 'float32', [48, 1024], draftImageProjection());
  floatOutput(g, g.op('MatMul', [flat, w]), 'image_embeds', dtype, ['B', 1024]);
  return g;
}

export interface DraftUnetOptions {
  dataStd?: number;
  latentScale?: number;
  /**
   * Extra work per call that leaves the output unchanged: that many 3x3 convolutions over the
   * sample, summed and multiplied by zero. Only for tests that must catch a render while it runs
   * (the built-in model has none).
   */
  busyConvs?: number;
}

export function buildDraftUnet(dtype: ModelDtype, options: DraftUnetOptions = {}): OnnxGraph {
  const { dataStd = DRAFT_DATA_STD, latentScale = DRAFT_LATENT_SCALE, busyConvs = 0 } = options;
  const g = new OnnxGraph('draft_unet');
  const sample = floatInput(g, 'sample', dtype, ['B', 'F', 8, 'h', 'w']);
  const timestep = g.input('timestep', 'float32', ['B']);
  g.input('encoder_hidden_states', dtype, ['B', 1, 1024]);
  g.input('added_time_ids', dtype, ['B', 3]);
  const one = scalar(g, 'one', 1);
  const s2 = scalar(g, 'data_var', dataStd * dataStd);
  // sigma per batch entry, shaped to broadcast over [B,F,C,h,w]
  const sigma = g.op('Exp', [g.op('Mul', [timestep, scalar(g, 'four', 4)])]);
  const sig = g.op('Reshape', [sigma, g.constant('sigma_shape', 'int64', [5], [-1, 1, 1, 1, 1])]);
  const sig2 = g.op('Mul', [sig, sig]);
  const axes = g.constant('channel_axis', 'int64', [1], [2]);
  const xIn = g.op('Slice', [
    sample,
    g.constant('x_start', 'int64', [1], [0]),
    g.constant('x_end', 'int64', [1], [4]),
    axes,
  ]);
  const cond = g.op('Slice', [
    sample,
    g.constant('c_start', 'int64', [1], [4]),
    g.constant('c_end', 'int64', [1], [8]),
    axes,
  ]);
  const mu = g.op('Mul', [cond, scalar(g, 'latent_scale', latentScale)]);
  const sig2p1 = g.op('Add', [sig2, one]);
  const root = g.op('Sqrt', [sig2p1]);
  const x = g.op('Mul', [xIn, root]); // x = (c_in x) / c_in
  // D* = (s^2 x + sigma^2 mu) / (s^2 + sigma^2)
  const dStar = g.op('Div', [g.op('Add', [g.op('Mul', [x, s2]), g.op('Mul', [mu, sig2])]), g.op('Add', [sig2, s2])]);
  const cSkip = g.op('Div', [one, sig2p1]);
  const cOut = g.op('Neg', [g.op('Div', [sig, root])]);
  let out = g.op('Div', [g.op('Sub', [dStar, g.op('Mul', [x, cSkip])]), cOut]);
  if (busyConvs > 0) out = g.op('Add', [out, busyZero(g, xIn, busyConvs)]);
  floatOutput(g, out, 'out_sample', dtype, ['B', 'F', 4, 'h', 'w']);
  return g;
}

/**
 * 0, after `count` box-blur convolutions of the frames of x [B, F, 4, h, w] (seen as B*F images):
 * work the runtime cannot skip, since the zero is a product computed at run time.
 */
function busyZero(g: OnnxGraph, x: string, count: number): string {
  const shape = g.op('Shape', [x]);
  const hw = g.op('Slice', [
    shape,
    g.constant('busy_hw_start', 'int64', [1], [3]),
    g.constant('busy_hw_end', 'int64', [1], [5]),
  ]);
  const images = g.op('Concat', [g.constant('busy_lead', 'int64', [2], [-1, 4]), hw], { axis: attr.int(0) });
  let y = g.op('Reshape', [x, images]);
  const w = new Float32Array(4 * 4 * 9);
  for (let c = 0; c < 4; c++) for (let k = 0; k < 9; k++) w[(c * 4 + c) * 9 + k] = 1 / 9;
  const weight = g.constant('busy_w', 'float32', [4, 4, 3, 3], w);
  for (let i = 0; i < count; i++) y = g.op('Conv', [y, weight], { pads: attr.ints([1, 1, 1, 1]) });
  const total = g.op('ReduceSum', [y], { keepdims: attr.int(0) });
  return g.op('Mul', [total, g.constant('busy_zero', 'float32', [], [0])]);
}

export function buildDraftComponents(dtype: ModelDtype): Record<ComponentName, OnnxGraph> {
  return {
    image_encoder: buildDraftImageEncoder(dtype),
    vae_encoder: buildDraftVaeEncoder(dtype),
    unet: buildDraftUnet(dtype),
    vae_decoder: buildDraftVaeDecoder(dtype),
  };
}

export type { SerializedModel };
