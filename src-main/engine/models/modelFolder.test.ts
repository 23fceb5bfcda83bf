import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { CamtrackError } from '../util/errors';
import { checkComponent, type ValueMeta } from './contract';
import { draftManifestMeta, writeDraftModel, writeModelFolder } from './draftModel';
import { buildDraftComponents } from './draftGraphs';
import { MANIFEST_FILE } from './manifest';
import { builtinDraftModelDir, openModel, resolveModelRef, verifyModelFolder } from './modelFolder';
import { OnnxGraph, type Dim, type ElemType } from './onnxGraph';

const tmpRoot = await fs.mkdtemp(path.join(tmpdir(), 'camtrack-models-'));
afterAll(() => fs.rm(tmpRoot, { recursive: true, force: true }));
let n = 0;
const freshDir = () => path.join(tmpRoot, `m${n++}`);

async function expectModelError(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(CamtrackError);
  expect((e as CamtrackError).code).toBe('model');
  expect((e as CamtrackError).message).toMatch(pattern);
}

/** A UNet-shaped graph with the given inputs; out_sample is channels 0..3 of the first input. */
function unetWith(inputs: { name: string; type: ElemType; dims: Dim[] }[]): OnnxGraph {
  const g = new OnnxGraph('wrong_unet');
  for (const i of inputs) g.input(i.name, i.type, i.dims);
  const axes = g.constant('axes', 'int64', [1], [2]);
  const out = g.op(
    'Slice',
    [inputs[0].name, g.constant('s', 'int64', [1], [0]), g.constant('e', 'int64', [1], [4]), axes],
    {},
    'out_sample',
  );
  g.output(out, inputs[0].type, ['B', 'F', 4, 'h', 'w']);
  return g;
}
const goodUnetInputs = (): { name: string; type: ElemType; dims: Dim[] }[] => [
  { name: 'sample', type: 'float32', dims: ['B', 'F', 8, 'h', 'w'] },
  { name: 'timestep', type: 'float32', dims: ['B'] },
  { name: 'encoder_hidden_states', type: 'float32', dims: ['B', 1, 1024] },
  { name: 'added_time_ids', type: 'float32', dims: ['B', 3] },
];

async function folderWithUnet(unet: OnnxGraph): Promise<string> {
  const dir = freshDir();
  await writeModelFolder(dir, draftManifestMeta('float32'), { ...buildDraftComponents('float32'), unet });
  return dir;
}

describe('the committed draft model', () => {
  it('is what scripts/make-draft-model.ts generates (sha256s match the graphs)', async () => {
    const dir = freshDir();
    const fresh = await writeDraftModel(dir);
    const committed = JSON.parse(await fs.readFile(path.join(builtinDraftModelDir(), MANIFEST_FILE), 'utf8'));
    expect(committed.components).toEqual(fresh.components);
  });

  it("is what a project's model setting 'draft' names; other settings are folders", () => {
    expect(resolveModelRef('draft')).toBe(builtinDraftModelDir());
    expect(resolveModelRef('models/svd', '/projects/a')).toBe(path.resolve('/projects/a/models/svd'));
    expect(builtinDraftModelDir().endsWith(path.join('assets', 'models', 'draft'))).toBe(true);
  });

  it('verifies and opens on CPU with every tensor of the contract', async () => {
    const model = await openModel(builtinDraftModelDir(), { provider: 'cpu' });
    try {
      expect(model.manifest.family).toBe('draft');
      expect(model.provider).toBe('cpu');
      expect(model.fallbackReason).toBeNull();
      expect(model.sessions.unet.dtypes).toEqual({
        sample: 'float32',
        timestep: 'float32',
        encoder_hidden_states: 'float32',
        added_time_ids: 'float32',
        out_sample: 'float32',
      });
      expect(model.sessions.vae_decoder.dtypes.num_frames).toBe('int64');
    } finally {
      await model.release();
    }
  });
});

describe('execution provider fallback', () => {
  it('falls back to CPU and returns the reason when the chosen provider is not there', async () => {
    const missing = process.platform === 'darwin' ? 'dml' : 'coreml';
    const model = await openModel(builtinDraftModelDir(), { provider: missing });
    try {
      expect(model.provider).toBe('cpu');
      expect(model.fallbackReason).toMatch(new RegExp(`unet: ${missing} failed \\(.*not found.*\\); using cpu`));
    } finally {
      await model.release();
    }
  });

  it('reports WebGPU failing (no adapter) as a fallback, or uses it where a GPU is present', async () => {
    const model = await openModel(builtinDraftModelDir(), { order: ['webgpu', 'cpu'] });
    try {
      if (model.provider === 'cpu') expect(model.fallbackReason).toMatch(/webgpu failed \(.+\); using cpu/);
      else expect([model.provider, model.fallbackReason]).toEqual(['webgpu', null]);
    } finally {
      await model.release();
    }
  });
});

describe('wrong model folders get a message naming the problem', () => {
  it('no model.json', async () => {
    const dir = freshDir();
    await fs.mkdir(dir);
    await expectModelError(verifyModelFolder(dir), /has no model\.json/);
  });

  it('a manifest field out of the schema', async () => {
    const dir = freshDir();
    await writeDraftModel(dir);
    const m = JSON.parse(await fs.readFile(path.join(dir, MANIFEST_FILE), 'utf8'));
    m.latentChannels = 16;
    await fs.writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify(m));
    await expectModelError(verifyModelFolder(dir), /latentChannels/);
  });

  it('a missing file', async () => {
    const dir = freshDir();
    await writeDraftModel(dir);
    await fs.rm(path.join(dir, 'vae_decoder.onnx'));
    await expectModelError(verifyModelFolder(dir), /vae_decoder model file vae_decoder\.onnx is missing/);
  });

  it('a file with the wrong sha256 (same size)', async () => {
    const dir = freshDir();
    await writeDraftModel(dir);
    const file = path.join(dir, 'image_encoder.onnx');
    const bytes = await fs.readFile(file);
    bytes[bytes.length - 10] ^= 0xff;
    await fs.writeFile(file, bytes);
    await expectModelError(
      verifyModelFolder(dir),
      /image_encoder model file image_encoder\.onnx has sha256 [0-9a-f]{64}, but model\.json expects/,
    );
  });

  it('a truncated file (size differs from model.json)', async () => {
    const dir = freshDir();
    await writeDraftModel(dir);
    const file = path.join(dir, 'unet.onnx');
    await fs.truncate(file, 100);
    await expectModelError(verifyModelFolder(dir), /unet model file unet\.onnx has 100 bytes/);
  });

  it('a corrupt onnx file whose manifest has no sha256', async () => {
    const dir = freshDir();
    await writeDraftModel(dir);
    await fs.writeFile(path.join(dir, 'unet.onnx'), 'this is not a protobuf');
    const m = JSON.parse(await fs.readFile(path.join(dir, MANIFEST_FILE), 'utf8'));
    delete m.components.unet.sha256;
    delete m.components.unet.bytes;
    await fs.writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify(m));
    await expectModelError(
      openModel(dir, { provider: 'cpu' }),
      /unet file unet\.onnx could not be loaded by ONNX Runtime/,
    );
  });

  it('a wrong input name', async () => {
    const inputs = goodUnetInputs();
    inputs[1].name = 'timesteps';
    await expectModelError(
      openModel(await folderWithUnet(unetWith(inputs)), { provider: 'cpu' }),
      /unet does not match the contract: it has no input "timestep" \[B\]/,
    );
  });

  it('a wrong rank', async () => {
    const inputs = goodUnetInputs();
    inputs[2].dims = ['B', 1024];
    await expectModelError(
      openModel(await folderWithUnet(unetWith(inputs)), { provider: 'cpu' }),
      /input "encoder_hidden_states" has rank 2 \[B,1024\], expected rank 3 \[B,1,1024\]/,
    );
  });

  it('a wrong dtype', async () => {
    const inputs = goodUnetInputs();
    inputs[2].type = 'float16';
    await expectModelError(
      openModel(await folderWithUnet(unetWith(inputs)), { provider: 'cpu' }),
      /input "encoder_hidden_states" is float16, expected float32 \(the dtype in model\.json\)/,
    );
  });

  it('a float16 folder with a float32 VAE encoder: refused unless model.json gives that component its dtype', async () => {
    // What scripts/export_svd_onnx.py writes for SVD: the VAE encoder upcast, as diffusers runs it.
    const dir = freshDir();
    const graphs = { ...buildDraftComponents('float16'), vae_encoder: buildDraftComponents('float32').vae_encoder };
    await writeModelFolder(dir, draftManifestMeta('float16'), graphs);
    await expectModelError(
      openModel(dir, { provider: 'cpu' }),
      /vae_encoder does not match the contract: input "sample" is float32, expected float16 \(the dtype in model\.json\)/,
    );
    const m = JSON.parse(await fs.readFile(path.join(dir, MANIFEST_FILE), 'utf8'));
    m.components.vae_encoder.dtype = 'float32';
    await fs.writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify(m));
    const model = await openModel(dir, { provider: 'cpu' });
    try {
      expect(model.sessions.vae_encoder.dtypes).toEqual({ sample: 'float32', latent: 'float32' });
      expect(model.sessions.unet.dtypes.sample).toBe('float16');
    } finally {
      await model.release();
    }
  });

  it('a wrong fixed size and an input the contract does not feed (pure check)', () => {
    const meta = (name: string, shape: (number | string)[], type = 'float32'): ValueMeta => ({
      name,
      isTensor: true,
      type,
      shape,
    });
    expect(() =>
      checkComponent(
        'image_encoder',
        'float32',
        [meta('pixel_values', ['B', 3, 256, 256])],
        [meta('image_embeds', ['B', 1024])],
      ),
    ).toThrow(/pixel_values" has size 256 on axis 2, expected 224/);
    expect(() =>
      checkComponent(
        'vae_decoder',
        'float32',
        [meta('latent_sample', ['N', 4, 'h', 'w']), meta('num_frames', [], 'int64'), meta('extra', [1])],
        [meta('sample', ['N', 3, 'H', 'W'])],
      ),
    ).toThrow(/input "extra" that the contract does not feed/);
    expect(() =>
      checkComponent(
        'vae_decoder',
        'float32',
        [meta('latent_sample', ['N', 4, 'h', 'w']), meta('num_frames', [], 'float32')],
        [meta('sample', ['N', 3, 'H', 'W'])],
      ),
    ).toThrow(/"num_frames" is float32, expected int64/);
    expect(() =>
      checkComponent(
        'vae_encoder',
        'float32',
        [meta('sample', ['B', 3, 'H', 'W'])],
        [meta('latents', ['B', 4, 'h', 'w'])],
      ),
    ).toThrow(/no output "latent"/);
  });
});

describe('external weights', () => {
  it('loads components whose initializers are in external data files, and names a missing one', async () => {
    const dir = freshDir();
    const manifest = await writeDraftModel(dir, 'float32', { external: ['image_encoder', 'unet'] });
    expect(manifest.components.image_encoder.externalData.map((e) => e.file)).toEqual(['image_encoder.onnx.data']);
    expect(manifest.components.image_encoder.bytes).toBeLessThan(10_000); // the 48x1024 matrix lives outside
    const model = await openModel(dir, { provider: 'cpu' });
    const builtin = await openModel(builtinDraftModelDir(), { provider: 'cpu' });
    try {
      const px = new ort.Tensor(
        'float32',
        new Float32Array(3 * 224 * 224).map((_, i) => Math.sin(i)),
        [1, 3, 224, 224],
      );
      const a = (await model.sessions.image_encoder.session.run({ pixel_values: px })).image_embeds
        .data as Float32Array;
      const b = (await builtin.sessions.image_encoder.session.run({ pixel_values: px })).image_embeds
        .data as Float32Array;
      expect(a.length).toBe(1024);
      expect(Array.from(a)).toEqual(Array.from(b));
    } finally {
      await model.release();
      await builtin.release();
    }
    await fs.rm(path.join(dir, 'unet.onnx.data'));
    await expectModelError(verifyModelFolder(dir), /unet external data file unet\.onnx\.data is missing/);
  });
});
