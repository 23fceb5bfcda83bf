import { stat } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { RgbImage } from '../image/types';
import { mapOrtError } from '../models/ortErrors';
import { createSession, type ProviderChoice } from '../models/providers';
import { CamtrackError } from '../util/errors';
import { DEPTH_MODEL_INPUT, DEPTH_MODEL_OUTPUT, depthModelInputSize, toPixelValues } from './estimate-tensor';
import type { RawDepth } from './types';

/**
 * Monocular depth estimation with an ONNX model that follows the Depth Anything V2 contract
 * (see estimate-tensor.ts). Edge module: onnxruntime-node.
 *
 * Getting the real model: download `onnx/model.onnx` (about 100 MB; `model_fp16.onnx` and
 * `model_quantized.onnx` also work) from the Hugging Face repository
 * onnx-community/depth-anything-v2-small (https://huggingface.co/onnx-community/depth-anything-v2-small),
 * and point the studio at the file or at a folder holding `model.onnx` or `onnx/model.onnx`.
 * Its output is relative disparity: use a disparity mapping (the reference: scale 10000, near 1e-4,
 * far 500) and adjust the scale to taste; the depth is only known up to that scale.
 */
export interface DepthModel {
  file: string;
  provider: string;
  session: ort.InferenceSession;
}

const CANDIDATES = ['model.onnx', path.join('onnx', 'model.onnx')];

export async function loadDepthModel(fileOrFolder: string, provider: ProviderChoice = 'cpu'): Promise<DepthModel> {
  const file = await resolveModelFile(fileOrFolder);
  let created;
  try {
    created = await createSession(file, provider);
  } catch (e) {
    throw mapOrtError(e, `Loading the depth model ${file}`);
  }
  const { session } = created;
  if (!session.inputNames.includes(DEPTH_MODEL_INPUT) || !session.outputNames.includes(DEPTH_MODEL_OUTPUT)) {
    await session.release();
    throw new CamtrackError(
      'model',
      `${file} is not a Depth Anything V2 style model: it must take "${DEPTH_MODEL_INPUT}" and give "${DEPTH_MODEL_OUTPUT}", ` +
        `but it takes ${session.inputNames.map((n) => `"${n}"`).join(', ')} and gives ${session.outputNames.map((n) => `"${n}"`).join(', ')}.`,
    );
  }
  return { file, provider: created.provider, session };
}

/** Relative disparity of the photo at the model's input size (multiples of 14, aspect kept). */
export async function estimateDepth(model: DepthModel, image: RgbImage, shortSide?: number): Promise<RawDepth> {
  const size = depthModelInputSize(image.width, image.height, shortSide);
  const input = new ort.Tensor('float32', toPixelValues(image, size), [1, 3, size.height, size.width]);
  let out: ort.Tensor;
  try {
    const result = await model.session.run({ [DEPTH_MODEL_INPUT]: input });
    out = result[DEPTH_MODEL_OUTPUT];
  } catch (e) {
    throw mapOrtError(e, 'Depth estimation', model.provider, 'Try the CPU provider, or a depth file made elsewhere');
  } finally {
    input.dispose();
  }
  const dims = out.dims.filter((d, i) => !(d === 1 && i < out.dims.length - 2));
  if (dims.length !== 2 || dims[0] !== size.height || dims[1] !== size.width || out.type !== 'float32') {
    throw new CamtrackError(
      'model',
      `The depth model gave ${out.type} [${out.dims.join(', ')}] for a ${size.width}x${size.height} input; expected float32 [1, ${size.height}, ${size.width}].`,
    );
  }
  const values = Float32Array.from(out.data as Float32Array);
  out.dispose();
  return {
    width: size.width,
    height: size.height,
    values,
    origin: `depth model ${path.basename(model.file)} (relative disparity)`,
    encoding: 'float',
  };
}

async function resolveModelFile(p: string): Promise<string> {
  const s = await stat(p).catch(() => null);
  if (!s) throw new CamtrackError('not-found', `Depth model not found: ${p}`);
  if (s.isFile()) return p;
  for (const c of CANDIDATES) {
    const f = path.join(p, c);
    if ((await stat(f).catch(() => null))?.isFile()) return f;
  }
  throw new CamtrackError(
    'not-found',
    `No depth model in ${p}: looked for ${CANDIDATES.join(' and ')}. Download onnx/model.onnx from onnx-community/depth-anything-v2-small on Hugging Face.`,
  );
}
