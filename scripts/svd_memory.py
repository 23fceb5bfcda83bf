#!/usr/bin/env python3
"""Memory of the SVD-XT UNet and VAE decoder from tensor shapes (docs/models.md, "Memory").

Pure arithmetic on the shapes that diffusers' UNetSpatioTemporalConditionModel and
AutoencoderKLTemporalDecoder produce with their default configurations (which are SVD-XT's):
4 UNet levels of 320, 640, 1280, 1280 channels at latent/1, /2, /4, /8, spatial + temporal
transformers (head dim 64: 5, 10, 20 heads) at levels 0-2 and in the mid block, 2 resnets per
level, GEGLU feed-forwards (8C wide projection), skip connections from every down resnet and
downsampler to the up path; the decoder's mid block has one single-head attention over the latent
pixels. With diffusers installed, the parameter counts are read from the real classes built on
PyTorch's meta device (no memory, no weights); otherwise the counts below are used.

Printed for float16 (2 bytes): weights; the largest attention score tensor
[batch*frames, heads, S, S] that an unfused MatMul -> Softmax -> MatMul graph materialises (its
Softmax input and output coexist, so 2x); the largest other activation (the level-0 GEGLU
projection); the skips held for the up path; and an estimate of the UNet's peak:
  fused:   weights + skips + GEGLU (projection 8C + gate 4C + product 4C alive together)
  unfused: weights + skips + 2 x the largest score tensor
It is an estimate from shapes and a lower bound on what an allocator needs (onnxruntime's arena
rounds up and keeps freed blocks), not a measurement.

  python3 scripts/svd_memory.py [--width 1024 --height 576 --frames 25]
"""
from __future__ import annotations

import argparse

GB = 1e9
CHANNELS = [320, 640, 1280, 1280]
HEADS = [5, 10, 20, 20]          # head dim 64
ATTENTION_LEVELS = [0, 1, 2]     # CrossAttnDownBlockSpatioTemporal x3, then DownBlockSpatioTemporal
UNET_PARAMS = 1_524_623_082      # used when diffusers is not installed
DECODER_PARAMS = 0


def param_counts() -> tuple[int, int, str]:
    try:
        import torch
        from diffusers import AutoencoderKLTemporalDecoder, UNetSpatioTemporalConditionModel

        with torch.device("meta"):
            unet = UNetSpatioTemporalConditionModel()
            # SVD's VAE (the class's defaults are a tiny test configuration).
            vae = AutoencoderKLTemporalDecoder(down_block_types=("DownEncoderBlock2D",) * 4, block_out_channels=(128, 256, 512, 512), layers_per_block=2)
        return sum(p.numel() for p in unet.parameters()), sum(p.numel() for p in vae.decoder.parameters()), "diffusers (meta device)"
    except ImportError:
        return UNET_PARAMS, DECODER_PARAMS, "built-in constants"


def unet_figures(batch: int, frames: int, h: int, w: int, b: int) -> dict:
    bf = batch * frames
    scores, acts, skips = [], [], []
    for lvl, (c, heads) in enumerate(zip(CHANNELS, HEADS)):
        s = (h >> lvl) * (w >> lvl)
        if lvl in ATTENTION_LEVELS:
            scores.append((bf * heads * s * s, f"level {lvl} spatial self-attention [{bf}, {heads}, {s}, {s}]"))
            scores.append((batch * s * heads * frames * frames, f"level {lvl} temporal attention [{batch * s}, {heads}, {frames}, {frames}]"))
            acts.append((bf * s * 8 * c, f"level {lvl} GEGLU projection [{bf}, {s}, {8 * c}]", bf * s * 16 * c))
        acts.append((bf * c * s, f"level {lvl} resnet output [{bf}, {c}, {h >> lvl}, {w >> lvl}]", 2 * bf * c * s))
        skips += [bf * c * s] * 2                     # two resnets (or transformer outputs)
        if lvl < 3:
            skips.append(bf * c * (s // 4))           # the downsampler
    skips.append(bf * CHANNELS[0] * h * w)            # conv_in
    mid = (h >> 3) * (w >> 3)
    scores.append((bf * HEADS[3] * mid * mid, f"mid block spatial self-attention [{bf}, {HEADS[3]}, {mid}, {mid}]"))
    # The up path's widest resnet input: level-0 concat of 640 (from level 1) and the 320 skip.
    acts.append((bf * (CHANNELS[1] + CHANNELS[0]) * h * w, f"level 0 up resnet input [{bf}, {CHANNELS[1] + CHANNELS[0]}, {h}, {w}]", 2 * bf * (CHANNELS[1] + CHANNELS[0]) * h * w))
    return {"score": max(scores), "act": max(acts), "skips": sum(skips) * b, "b": b}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--width", type=int, default=1024)
    ap.add_argument("--height", type=int, default=576)
    ap.add_argument("--frames", type=int, default=25)
    ap.add_argument("--bytes", type=int, default=2, help="bytes per element (2: float16)")
    args = ap.parse_args()
    if args.width % 64 or args.height % 64:
        raise SystemExit("width and height must be multiples of 64")
    b, f = args.bytes, args.frames
    h, w = args.height // 8, args.width // 8
    unet_params, dec_params, source = param_counts()
    weights = unet_params * b
    print(f"SVD-XT UNet at {args.width}x{args.height} (latent {w}x{h}), {f} frames, {b} bytes per element")
    print(f"UNet weights: {weights / GB:.2f} GB ({unet_params:,} parameters, from {source})")
    for batch, label in ((2, "CFG as one batch of 2"), (1, "CFG as two batch-1 passes (each pass)")):
        u = unet_figures(batch, f, h, w, b)
        score_n, score_what = u["score"]
        act_n, act_what, act_live = u["act"]
        fused = weights + u["skips"] + act_live * b
        unfused = weights + u["skips"] + 2 * score_n * b
        print(f"\n{label}:")
        print(f"  largest attention score tensor: {score_what}: {score_n * b / GB:.1f} GB")
        print(f"  largest other activation: {act_what}: {act_n * b / GB:.2f} GB")
        print(f"  skip connections held for the up path: {u['skips'] / GB:.2f} GB")
        print(f"  estimated UNet peak, fused attention:   {fused / GB:.1f} GB")
        print(f"  estimated UNet peak, unfused attention: {unfused / GB:.1f} GB")

    print("\nVAE decoder (mid-block attention: 1 head over the latent pixels; widest tensors: 128 channels at full size)")
    if dec_params:
        print(f"  weights {dec_params * b / GB:.2f} GB ({dec_params:,} parameters)")
    s = h * w
    for chunk in (1, 2, 4, 8, 14, 25):
        if chunk > f:
            continue
        score = chunk * s * s * b
        full = chunk * 128 * args.height * args.width * b
        print(f"  decode chunk {chunk:2d}: attention scores [{chunk}, 1, {s}, {s}] {score / GB:.2f} GB; "
              f"a full-size 128-channel activation {full / GB:.2f} GB; peak ~ {(dec_params * b + max(2 * full, 2 * score)) / GB:.1f} GB unfused, "
              f"{(dec_params * b + 2 * full) / GB:.1f} GB fused")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
