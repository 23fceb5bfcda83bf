#!/usr/bin/env node
/**
 * `npm run gpu-check` (or `node scripts/gpu-check.mjs [--model fp32|fp16|both]`): runs the tiny
 * real-architecture SVD of fixtures/tiny-svd on every GPU execution provider onnxruntime-node
 * offers here (CUDA, WebGPU, DirectML, CoreML), compares each against the CPU provider (max abs
 * difference of the image embeddings, one CFG UNet call and the decoded frames, fed with
 * diffusers' own golden inputs) and prints timings. With no usable GPU provider it says so and
 * exits 0. Needs only the repository (fixtures/tiny-svd) and node_modules (onnxruntime-node).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FIXTURE = path.join(ROOT, 'fixtures', 'tiny-svd');
const GPU_PROVIDERS = ['cuda', 'webgpu', 'dml', 'coreml'];

/** A little-endian float32 .npy file (the fixture's format). */
function readNpy(file) {
  const buf = readFileSync(file);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12) + headerLen;
  const header = buf.subarray(major === 1 ? 10 : 12, start).toString('latin1');
  if (!header.includes("'<f4'")) throw new Error(`${file}: expected <f4, header ${header}`);
  const shape = header
    .match(/'shape':\s*\(([^)]*)\)/)[1]
    .split(',')
    .filter((s) => s.trim())
    .map(Number);
  const bytes = buf.subarray(start);
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return { data, shape };
}
const golden = (name) => readNpy(path.join(FIXTURE, 'golden', `${name}.npy`));

/** float32 <-> float16 bits (round to nearest even), for the fp16 folder's feeds. */
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function toHalf(src) {
  const out = new Uint16Array(src.length);
  for (let i = 0; i < src.length; i++) {
    f32[0] = src[i];
    const x = u32[0];
    const sign = (x >>> 16) & 0x8000;
    const a = x & 0x7fffffff;
    if (a >= 0x38800000 && a < 0x47800000) out[i] = sign | ((a + 0x0fff + ((a >>> 13) & 1) - 0x38000000) >>> 13);
    else if (a >= 0x47800000) out[i] = sign | (a > 0x7f800000 ? 0x7e00 : 0x7c00);
    else if (a < 0x33000000) out[i] = sign;
    else {
      const e = a >>> 23;
      const m = (a & 0x7fffff) | 0x800000;
      const shift = 126 - e;
      let h = m >>> shift;
      const rest = m & ((1 << shift) - 1);
      const half = 1 << (shift - 1);
      if (rest > half || (rest === half && h & 1)) h++;
      out[i] = sign | h;
    }
  }
  return out;
}
function fromHalf(src) {
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) {
    const h = src[i];
    const s = h & 0x8000 ? -1 : 1;
    const e = (h >>> 10) & 0x1f;
    const m = h & 0x3ff;
    out[i] = e === 0 ? s * m * 2 ** -24 : e === 31 ? (m ? NaN : s * Infinity) : s * (1 + m / 1024) * 2 ** (e - 15);
  }
  return out;
}

function tensor(type, data, dims) {
  return type === 'float16' ? new ort.Tensor('float16', toHalf(data), dims) : new ort.Tensor('float32', data, dims);
}
const asFloat = (t) => (t.type === 'float16' ? fromHalf(t.data) : t.data);
function maxAbs(a, b) {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

async function timed(fn, runs = 3) {
  const t0 = performance.now();
  const first = await fn();
  const firstMs = performance.now() - t0;
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { out: first, firstMs, medianMs: times[Math.floor(times.length / 2)] };
}

/** Opens the folder's three checked components on one provider and runs the three checks. */
async function runOn(provider, folder) {
  const dir = path.join(FIXTURE, folder);
  const open = async (c) => {
    const t0 = performance.now();
    const s = await ort.InferenceSession.create(path.join(dir, `${c}.onnx`), {
      executionProviders: [provider],
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    });
    return { s, ms: performance.now() - t0, type: (name) => s.inputMetadata.find((m) => m.name === name).type };
  };
  const enc = await open('image_encoder');
  const unet = await open('unet');
  const dec = await open('vae_decoder');
  try {
    const pv = golden('clip_pixel_values');
    const embeds = await timed(async () =>
      asFloat((await enc.s.run({ pixel_values: tensor(enc.type('pixel_values'), pv.data, pv.shape) })).image_embeds),
    );

    const sample = golden('unet_call0_sample');
    const ts = golden('unet_call0_timestep');
    const ehs = golden('unet_call0_encoder_hidden_states');
    const ids = golden('unet_call0_added_time_ids');
    const feeds = {
      sample: tensor(unet.type('sample'), sample.data, sample.shape),
      timestep: tensor(unet.type('timestep'), ts.data, ts.shape),
      encoder_hidden_states: tensor(unet.type('encoder_hidden_states'), ehs.data, ehs.shape),
      added_time_ids: tensor(unet.type('added_time_ids'), ids.data, ids.shape),
    };
    const unetOut = await timed(async () => asFloat((await unet.s.run(feeds)).out_sample));

    // Decoding as diffusers: final latents / 0.18215, chunks of 8 frames (num_frames = chunk length).
    const lat = golden('run_latents_final');
    const [, F, C, h, w] = lat.shape;
    const per = C * h * w;
    const frames = await timed(async () => {
      const parts = [];
      for (let start = 0; start < F; start += 8) {
        const count = Math.min(8, F - start);
        const z = new Float32Array(count * per);
        for (let i = 0; i < z.length; i++) z[i] = lat.data[start * per + i] / 0.18215;
        const r = await dec.s.run({
          latent_sample: tensor(dec.type('latent_sample'), z, [count, C, h, w]),
          num_frames: new ort.Tensor('int64', BigInt64Array.from([BigInt(count)]), []),
        });
        parts.push(asFloat(r.sample));
      }
      const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
      let o = 0;
      for (const p of parts) {
        all.set(p, o);
        o += p.length;
      }
      return all;
    }, 1);
    return { loadMs: enc.ms + unet.ms + dec.ms, embeds, unet: unetOut, frames };
  } finally {
    for (const x of [enc, unet, dec]) await x.s.release().catch(() => {});
  }
}

function fmt(ms) {
  return `${ms.toFixed(1)} ms`;
}

async function main() {
  const arg = process.argv.indexOf('--model');
  const which = arg > 0 ? process.argv[arg + 1] : 'both';
  const folders = which === 'both' ? ['fp32', 'fp16'] : [which];
  const backends = ort.listSupportedBackends().map((b) => b.name);
  console.log(`onnxruntime-node ${ort.env.versions?.node ?? '?'}; backends built in: ${backends.join(', ')}`);
  // GPU_CHECK_PROVIDERS=cpu runs the comparison against a second CPU session (a dry run of this script).
  const candidates = process.env.GPU_CHECK_PROVIDERS
    ? process.env.GPU_CHECK_PROVIDERS.split(',')
    : GPU_PROVIDERS.filter((p) => backends.includes(p));
  const usable = [];
  for (const p of candidates) {
    try {
      const s = await ort.InferenceSession.create(path.join(FIXTURE, 'fp32', 'image_encoder.onnx'), {
        executionProviders: [p],
        logSeverityLevel: 3,
      });
      await s.release();
      usable.push(p);
    } catch (e) {
      console.log(
        `${p}: not usable here: ${String(e.message ?? e)
          .split('\n')[0]
          .slice(0, 300)}`,
      );
    }
  }
  if (!usable.length) {
    console.log(
      `No GPU execution provider is usable on this machine (tried: ${candidates.join(', ') || 'none built into onnxruntime-node for this platform'}). Nothing to compare; the CPU path is covered by the unit tests.`,
    );
    return 0;
  }
  const gold = {
    embeds: golden('image_embeds').data,
    unet: golden('unet_call0_out_sample').data,
    frames: golden('run_frames').data,
  };
  let worst = 0;
  for (const folder of folders) {
    console.log(`\n== tiny SVD ${folder} ==`);
    const cpu = await runOn('cpu', folder);
    const rows = [['cpu', cpu]];
    for (const p of usable) {
      try {
        rows.push([p, await runOn(p, folder)]);
      } catch (e) {
        console.log(
          `${p}: failed on ${folder}: ${String(e.message ?? e)
            .split('\n')[0]
            .slice(0, 300)}`,
        );
      }
    }
    for (const [p, r] of rows) {
      const vsCpu =
        p === 'cpu'
          ? ''
          : `  vs cpu: embeds ${maxAbs(r.embeds.out, cpu.embeds.out).toExponential(2)}, unet ${maxAbs(r.unet.out, cpu.unet.out).toExponential(2)}, frames ${maxAbs(r.frames.out, cpu.frames.out).toExponential(2)}`;
      // Frames before the clamp to [0,1]: compare as diffusers stores them ((x/2+0.5) clamped).
      const fr = r.frames.out.map((v) => Math.min(1, Math.max(0, v / 2 + 0.5)));
      const frGold = new Float32Array(fr.length);
      {
        // golden run_frames is [F,H,W,3]; ours is [F,3,H,W].
        const [F, H, W] = [fr.length / (3 * 128 * 256), 128, 256];
        for (let f = 0; f < F; f++)
          for (let c = 0; c < 3; c++)
            for (let i = 0; i < H * W; i++) frGold[(f * 3 + c) * H * W + i] = gold.frames[(f * H * W + i) * 3 + c];
      }
      const vsGold = `vs diffusers: embeds ${maxAbs(r.embeds.out, gold.embeds).toExponential(2)}, unet ${maxAbs(r.unet.out, gold.unet).toExponential(2)}, frames ${maxAbs(fr, frGold).toExponential(2)}`;
      if (p !== 'cpu') worst = Math.max(worst, maxAbs(r.unet.out, cpu.unet.out));
      console.log(
        `${p.padEnd(7)} load ${fmt(r.loadMs)}; image encoder ${fmt(r.embeds.firstMs)} first / ${fmt(r.embeds.medianMs)}; UNet (CFG batch 2, 14x8x16x32) ${fmt(r.unet.firstMs)} first / ${fmt(r.unet.medianMs)}; decode 14 frames ${fmt(r.frames.firstMs)} first / ${fmt(r.frames.medianMs)}`,
      );
      console.log(`        ${vsGold}${vsCpu ? `\n      ${vsCpu}` : ''}`);
    }
  }
  console.log(`\nworst GPU-vs-CPU UNet difference: ${worst.toExponential(2)}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
