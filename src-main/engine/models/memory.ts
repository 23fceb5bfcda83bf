/**
 * Memory knobs for Stable Video Diffusion: the UNet's classifier-free guidance as one batch-2 call
 * or two batch-1 calls, and the VAE decoder's chunk size. The estimates are pure functions of the
 * tensor shapes (SVD-XT's architecture below); the probe of what a provider has is at the edge.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import type { ProviderName } from './providers';

/** diffusers' UNetSpatioTemporalConditionModel for SVD / SVD-XT: level-0 width, heads, feed-forward. */
export const SVD_UNET = { channels0: 320, heads0: 5, ffMult: 4 } as const;
/** AutoencoderKLTemporalDecoder: output-level width and the mid-block's single-head attention width. */
export const SVD_VAE_DECODER = { channels: [128, 256, 512, 512] as const, midAttentionHeads: 1 } as const;

export type AttentionKind = 'fused' | 'plain';

export interface UnetMemoryInput {
  batch: number;
  frames: number;
  latentHeight: number;
  latentWidth: number;
  /** 2 for float16, 4 for float32. */
  bytesPerValue: number;
  /** Bytes of the UNet's weights (the .onnx and its external data). */
  weightsBytes: number;
  /** 'plain': MatMul-Softmax-MatMul, the score tensor exists in full; 'fused': MultiHeadAttention. */
  attention: AttentionKind;
}

/**
 * Peak bytes of one UNet call: the weights, plus the largest level-0 intermediate (the spatial
 * self-attention scores batch x frames x heads x (hw)^2 when attention is plain, the GEGLU
 * feed-forward's batch x frames x hw x 2 x 4 x 320 either way), plus 4 level-0 activations live
 * beside it (residuals and skip connections).
 */
export function estimateUnetPeakBytes(m: UnetMemoryInput): number {
  const tokens = m.latentHeight * m.latentWidth;
  const bf = m.batch * m.frames;
  const scores = m.attention === 'plain' ? bf * SVD_UNET.heads0 * tokens * tokens : 0;
  const ff = bf * tokens * 2 * SVD_UNET.ffMult * SVD_UNET.channels0;
  const activation = bf * tokens * SVD_UNET.channels0;
  return m.weightsBytes + m.bytesPerValue * (Math.max(scores, ff) + 4 * activation);
}

/**
 * Bytes the VAE decoder needs per frame of a chunk at latent size h x w: 6 live tensors at each
 * of the two full-resolution levels (128 channels at 8x, 256 at 4x) and the mid-block's attention
 * scores over the latent grid.
 */
export function estimateDecodeBytesPerFrame(latentHeight: number, latentWidth: number, bytesPerValue: number): number {
  const H = latentHeight * 8;
  const W = latentWidth * 8;
  const tokens = latentHeight * latentWidth;
  const values =
    6 * SVD_VAE_DECODER.channels[0] * H * W +
    6 * SVD_VAE_DECODER.channels[1] * (H / 2) * (W / 2) +
    SVD_VAE_DECODER.midAttentionHeads * tokens * tokens;
  return values * bytesPerValue;
}

/** Share of the reported free memory the knobs plan to use (the allocator and other graphs need some). */
export const MEMORY_HEADROOM = 0.85;

export type CfgMode = 'auto' | 'batch' | 'two-pass';

/**
 * One batch-2 UNet call or two batch-1 calls. 'auto' splits when the batch-2 estimate exceeds the
 * usable memory (unknown memory: batch-2). The two give the same D up to float rounding.
 */
export function chooseCfgPasses(
  mode: CfgMode,
  batch2PeakBytes: number,
  availableBytes: number | null,
): { twoPass: boolean; reason: string } {
  const gb = (b: number) => `${(b / 2 ** 30).toFixed(1)} GB`;
  if (mode === 'two-pass') return { twoPass: true, reason: 'two batch-1 passes, as the settings ask' };
  if (mode === 'batch') return { twoPass: false, reason: 'one batch-2 pass, as the settings ask' };
  if (availableBytes === null)
    return {
      twoPass: false,
      reason: `one batch-2 pass (estimated peak ${gb(batch2PeakBytes)}; the provider's free memory is unknown)`,
    };
  const usable = availableBytes * MEMORY_HEADROOM;
  return batch2PeakBytes > usable
    ? {
        twoPass: true,
        reason: `two batch-1 passes: a batch-2 pass needs about ${gb(batch2PeakBytes)}, ${gb(availableBytes)} is free`,
      }
    : { twoPass: false, reason: `one batch-2 pass (about ${gb(batch2PeakBytes)} of ${gb(availableBytes)} free)` };
}

/**
 * Frames per VAE decoder call: the requested chunk, lowered to what fits the usable memory (at
 * least 1, at most the frame count). The temporal decoder mixes frames within a chunk, so the
 * chunk changes the pixels slightly: the render records the one it used.
 */
export function chooseDecodeChunk(
  requested: number,
  frames: number,
  bytesPerFrame: number,
  availableBytes: number | null,
): number {
  const want = Math.max(1, Math.min(requested, frames));
  if (availableBytes === null || !(bytesPerFrame > 0)) return want;
  const fits = Math.floor((availableBytes * MEMORY_HEADROOM) / bytesPerFrame);
  return Math.max(1, Math.min(want, fits));
}

/** Free bytes of the first NVIDIA GPU from nvidia-smi, or null when there is none or it fails. */
export function nvidiaFreeBytes(timeoutMs = 3000): Promise<number | null> {
  return new Promise((resolve) => {
    execFile(
      'nvidia-smi',
      ['--query-gpu=memory.free', '--format=csv,noheader,nounits'],
      { timeout: timeoutMs },
      (err, stdout) => {
        const mib = err ? NaN : Number.parseFloat(String(stdout).split('\n')[0]);
        resolve(Number.isFinite(mib) ? mib * 2 ** 20 : null);
      },
    );
  });
}

/**
 * Free memory of the device a provider runs on: the host's free RAM for the CPU, nvidia-smi's
 * figure for CUDA and WebGPU (on an NVIDIA GPU), unknown (null) otherwise.
 */
export async function providerFreeBytes(provider: ProviderName): Promise<number | null> {
  if (provider === 'cpu') return os.freemem();
  if (provider === 'cuda' || provider === 'webgpu') return nvidiaFreeBytes();
  return null;
}

/**
 * Whether an ONNX graph uses fused attention (com.microsoft MultiHeadAttention / Attention
 * nodes): the op type appears as a string in the graph file. Weights in external data keep the
 * .onnx small, so reading it through is cheap.
 */
export function graphHasFusedAttention(file: string): Promise<boolean> {
  const needles = [Buffer.from('MultiHeadAttention'), Buffer.from('PackedMultiHeadAttention')];
  const keep = Math.max(...needles.map((n) => n.length));
  return new Promise((resolve, reject) => {
    let tail = Buffer.alloc(0);
    const s = createReadStream(file);
    s.on('data', (chunk: string | Buffer) => {
      const buf = Buffer.concat([tail, chunk as Buffer]);
      if (needles.some((n) => buf.includes(n))) {
        s.destroy();
        resolve(true);
        return;
      }
      tail = buf.subarray(Math.max(0, buf.length - keep));
    });
    s.on('end', () => resolve(false));
    s.on('error', reject);
  });
}

export interface MemoryPlan {
  /** Run CFG as two batch-1 UNet calls. */
  cfgTwoPass: boolean;
  cfgReason: string;
  /** Frames per VAE decoder call. */
  decodeChunk: number;
  /** The provider's free memory when the render started; null when unknown. */
  freeBytes: number | null;
  /** The estimates the plan was made from. */
  unetBatch2PeakBytes: number;
  decodeBytesPerFrame: number;
  /**
   * What the UNet still holds when the decoder runs (its weights and the activation pool of the
   * passes chosen): the decode chunk is planned in the free memory less this.
   */
  unetHeldBytes: number;
}

export interface MemoryPlanInput {
  cfgMode: CfgMode;
  /** Whether the UNet runs an unconditional pass at all (max guidance > 1). */
  withUncond: boolean;
  requestedDecodeChunk: number;
  frames: number;
  latentHeight: number;
  latentWidth: number;
  unetBytesPerValue: number;
  decoderBytesPerValue: number;
  unetWeightsBytes: number;
  attention: AttentionKind;
  freeBytes: number | null;
}

/** The CFG split and the decode chunk for one render (pure). */
export function planMemory(m: MemoryPlanInput): MemoryPlan {
  const unetPeak = (batch: number) =>
    estimateUnetPeakBytes({
      batch,
      frames: m.frames,
      latentHeight: m.latentHeight,
      latentWidth: m.latentWidth,
      bytesPerValue: m.unetBytesPerValue,
      weightsBytes: m.unetWeightsBytes,
      attention: m.attention,
    });
  const unetBatch2PeakBytes = unetPeak(2);
  const cfg = m.withUncond
    ? chooseCfgPasses(m.cfgMode, unetBatch2PeakBytes, m.freeBytes)
    : { twoPass: false, reason: 'no unconditional pass (max guidance 1)' };
  const decodeBytesPerFrame = estimateDecodeBytesPerFrame(m.latentHeight, m.latentWidth, m.decoderBytesPerValue);
  // The free memory is measured before the UNet runs, and its session stays open through the decode
  // (a long track samples and decodes window after window): its weights and its allocator's pool
  // (onnxruntime keeps a run's activations allocated for the next) are gone from what the decoder has.
  const unetHeldBytes = m.withUncond && !cfg.twoPass ? unetBatch2PeakBytes : unetPeak(1);
  const decodeFree = m.freeBytes === null ? null : Math.max(0, m.freeBytes - unetHeldBytes);
  return {
    cfgTwoPass: cfg.twoPass,
    cfgReason: cfg.reason,
    decodeChunk: chooseDecodeChunk(m.requestedDecodeChunk, m.frames, decodeBytesPerFrame, decodeFree),
    freeBytes: m.freeBytes,
    unetBatch2PeakBytes,
    decodeBytesPerFrame,
    unetHeldBytes,
  };
}
