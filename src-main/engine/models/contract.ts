/**
 * The model contract (docs/design.md, "The model contract"): the input and output names, ranks, fixed sizes and
 * dtypes of each ONNX component, as diffusers' Stable Video Diffusion exports them. A session is
 * checked against this before its first run, so a wrong file fails with a message that names the
 * component, the tensor and the mismatch instead of an opaque runtime error mid-render.
 */
import { CamtrackError } from '../util/errors';

export const COMPONENTS = ['image_encoder', 'vae_encoder', 'unet', 'vae_decoder'] as const;
export type ComponentName = (typeof COMPONENTS)[number];

export type ModelDtype = 'float16' | 'float32';

/**
 * 'model': the manifest's dtype. 'float': float16 or float32 (the small conditioning inputs, which
 * exporters leave in either). 'int64': always int64.
 */
export type DtypeRule = 'model' | 'float' | 'int64';

export interface TensorContract {
  name: string;
  dtype: DtypeRule;
  /** One entry per axis: a required size, or null for any size (batch, frames, height, width). */
  dims: (number | null)[];
  /** How the shape reads in messages. */
  shape: string;
}

export interface ComponentContract {
  inputs: TensorContract[];
  outputs: TensorContract[];
}

const t = (name: string, dtype: DtypeRule, shape: string, dims: (number | null)[]): TensorContract => ({
  name,
  dtype,
  dims,
  shape,
});

export const CONTRACT: Record<ComponentName, ComponentContract> = {
  image_encoder: {
    inputs: [t('pixel_values', 'model', '[B,3,224,224]', [null, 3, 224, 224])],
    outputs: [t('image_embeds', 'model', '[B,1024]', [null, 1024])],
  },
  vae_encoder: {
    inputs: [t('sample', 'model', '[B,3,H,W]', [null, 3, null, null])],
    outputs: [t('latent', 'model', '[B,4,H/8,W/8]', [null, 4, null, null])],
  },
  unet: {
    inputs: [
      t('sample', 'model', '[B,F,8,h,w]', [null, null, 8, null, null]),
      t('timestep', 'float', '[B]', [null]),
      t('encoder_hidden_states', 'model', '[B,1,1024]', [null, 1, 1024]),
      t('added_time_ids', 'float', '[B,3]', [null, 3]),
    ],
    outputs: [t('out_sample', 'model', '[B,F,4,h,w]', [null, null, 4, null, null])],
  },
  vae_decoder: {
    inputs: [t('latent_sample', 'model', '[N,4,h,w]', [null, 4, null, null]), t('num_frames', 'int64', 'a scalar', [])],
    outputs: [t('sample', 'model', '[N,3,H,W]', [null, 3, null, null])],
  },
};

/** What onnxruntime reports about one input or output (InferenceSession.ValueMetadata). */
export type ValueMeta =
  | { name: string; isTensor: false }
  | { name: string; isTensor: true; type: string; shape: ReadonlyArray<number | string> };

/** The float type each float input of a checked session takes, by name. */
export type SessionDtypes = Record<string, ModelDtype | 'int64'>;

/**
 * Checks one session's metadata against the contract and returns the dtype of every contract
 * tensor; throws CamtrackError('model') naming the first mismatch.
 */
export function checkComponent(
  component: ComponentName,
  dtype: ModelDtype,
  inputs: readonly ValueMeta[],
  outputs: readonly ValueMeta[],
): SessionDtypes {
  const c = CONTRACT[component];
  const types: SessionDtypes = {};
  const fail = (msg: string): never => {
    throw new CamtrackError('model', `The model's ${component} does not match the contract: ${msg}.`);
  };
  const check = (kind: 'input' | 'output', want: TensorContract, have: readonly ValueMeta[]): void => {
    const meta = have.find((m) => m.name === want.name);
    if (!meta)
      fail(
        `it has no ${kind} "${want.name}" ${want.shape} (its ${kind}s are ${have.map((m) => `"${m.name}"`).join(', ') || 'none'})`,
      );
    if (!meta!.isTensor) return fail(`${kind} "${want.name}" is not a tensor`);
    const m = meta as Extract<ValueMeta, { isTensor: true }>;
    const allowed = want.dtype === 'model' ? [dtype] : want.dtype === 'float' ? ['float16', 'float32'] : ['int64'];
    if (!allowed.includes(m.type))
      fail(
        `${kind} "${want.name}" is ${m.type}, expected ${allowed.join(' or ')}${want.dtype === 'model' ? ' (the dtype in model.json)' : ''}`,
      );
    // onnxruntime reports an empty shape both for scalars and for unknown shapes; a scalar is only
    // required for num_frames, where an unknown shape is accepted.
    if (m.shape.length === 0 && want.dims.length === 0) {
      types[want.name] = m.type as ModelDtype | 'int64';
      return;
    }
    if (m.shape.length !== want.dims.length)
      fail(
        `${kind} "${want.name}" has rank ${m.shape.length} [${m.shape.join(',')}], expected rank ${want.dims.length} ${want.shape}`,
      );
    want.dims.forEach((d, i) => {
      const got = m.shape[i];
      if (d !== null && typeof got === 'number' && got !== d && got > 0)
        fail(`${kind} "${want.name}" has size ${got} on axis ${i}, expected ${d} (${want.shape})`);
    });
    types[want.name] = m.type as ModelDtype | 'int64';
  };
  for (const want of c.inputs) check('input', want, inputs);
  const extra = inputs.filter((m) => !c.inputs.some((w) => w.name === m.name));
  if (extra.length)
    fail(
      `it has input${extra.length > 1 ? 's' : ''} ${extra.map((m) => `"${m.name}"`).join(', ')} that the contract does not feed`,
    );
  for (const want of c.outputs) check('output', want, outputs);
  return types;
}
