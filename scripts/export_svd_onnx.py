#!/usr/bin/env python3
"""Export Stable Video Diffusion (diffusers) to a Camtrack Studio model folder.

Writes image_encoder.onnx, vae_encoder.onnx, unet.onnx + unet.onnx.data, vae_decoder.onnx and
model.json (size, sha256 and dtype of every file) following the model contract of docs/design.md ("The model contract"):

  image_encoder: pixel_values [B,3,224,224]                     -> image_embeds [B,1024]
  vae_encoder:   sample [B,3,H,W] in [-1,1]                     -> latent [B,4,H/8,W/8] (mode)
  unet:          sample [B,F,8,h,w], timestep [B] (float32),
                 encoder_hidden_states [B,1,1024], added_time_ids [B,3] -> out_sample [B,F,4,h,w]
  vae_decoder:   latent_sample [N,4,h,w], num_frames (int64 scalar)   -> sample [N,3,H,W]

How (each point is a lesson from running it):
  - float16 is traced with the modules in half precision (CPU or CUDA); no post-hoc converter
    (onnxconverter-common leaves Cast(to=FLOAT) nodes that onnxruntime then refuses);
  - the VAE encoder stays float32 when the VAE has force_upcast (SVD's does), as diffusers runs it;
    model.json records the dtype of each component;
  - attention is exported as one com.microsoft MultiHeadAttention node per attention layer (flash /
    memory-efficient kernels on CUDA; no [B*heads, S, S] score tensor in the graph);
    --no-fuse-attention keeps diffusers' MatMul-Softmax-MatMul;
  - the UNet is always written with external data (unet.onnx.data); no ModelProto over 2 GB is ever
    serialised whole (protobuf refuses it);
  - before model.json is written every graph is run with onnxruntime against its torch module and
    the max differences are printed; a graph off by more than the tolerance stops the export.

Usage (a CUDA GPU makes the export fast; CPU works, slowly, with ~40 GB of RAM for SVD-XT):

  python3 -m venv ~/venv-export && . ~/venv-export/bin/activate
  pip install torch diffusers transformers accelerate onnx onnxruntime
  huggingface-cli login     # the SVD weights are gated: accept the licence on huggingface.co first
  python scripts/export_svd_onnx.py --variant svd-xt --out ~/.camtrack/models/svd-xt-fp16
  npx camtrack models check ~/.camtrack/models/svd-xt-fp16

  python scripts/export_svd_onnx.py --tiny --out /tmp/tiny-svd-fp16   # random-weight tiny SVD, no download

See docs/models.md for what each option does and the versions it was run with.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import math
import shutil
import sys
import tempfile
from pathlib import Path

REPOS = {
    "svd": ("stabilityai/stable-video-diffusion-img2vid", [14]),
    "svd-xt": ("stabilityai/stable-video-diffusion-img2vid-xt", [25]),
}
OPSET = 17
MS_DOMAIN = "com.microsoft"
# Largest max-abs difference accepted between onnxruntime and torch, relative to the max abs of
# torch's output (float16 rounds at ~1e-3 relative; ten of those steps through a UNet stay < 2e-2).
TOLERANCE = {"float32": 1e-3, "float16": 3e-2}


# ------------------------------------------------------------------------------------------------
# Files and manifest


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def file_entry(folder: Path, name: str) -> dict:
    p = folder / name
    return {"file": name, "sha256": sha256(p), "bytes": p.stat().st_size}


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def save_component(scratch: Path, out: Path, name: str, external: bool) -> list[str]:
    """Moves the traced graph from its scratch folder (torch writes one file per tensor for models
    over 2 GB) to out/<name>.onnx, with every weight in one <name>.onnx.data beside it when `external`.
    onnx.save_model with save_as_external_data first moves the tensors out of the proto and then
    serialises only the small graph, so no message over protobuf's 2 GB limit is ever built."""
    import onnx

    model = onnx.load(str(scratch / f"{name}.onnx"), load_external_data=True)
    path = out / f"{name}.onnx"
    data = path.name + ".data"
    for stale in (path, out / data):
        if stale.exists():
            stale.unlink()
    if external:
        onnx.save_model(model, str(path), save_as_external_data=True, all_tensors_to_one_file=True, location=data, size_threshold=1024)
        onnx.checker.check_model(str(path))  # by path: the checker reads external data itself
        return [data]
    onnx.save_model(model, str(path))
    onnx.checker.check_model(str(path))
    return []


# ------------------------------------------------------------------------------------------------
# Fused attention


def attention_nodes(model_path: Path) -> dict:
    """Counts the attention of a graph: com.microsoft MultiHeadAttention nodes, and unfused
    MatMul -> Softmax -> MatMul chains (a Softmax fed by a MatMul, through at most a scale Mul/Div,
    whose output feeds a MatMul)."""
    import onnx

    g = onnx.load(str(model_path), load_external_data=False).graph
    producer = {o: n for n in g.node for o in n.output}
    consumers: dict[str, list] = {}
    for n in g.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)
    chains = 0
    for n in g.node:
        if n.op_type != "Softmax":
            continue
        p = producer.get(n.input[0])
        while p is not None and p.op_type in ("Mul", "Div", "Add", "Cast"):
            p = producer.get(p.input[0])
        after = consumers.get(n.output[0], [])
        while len(after) == 1 and after[0].op_type == "Cast":
            after = consumers.get(after[0].output[0], [])
        if p is not None and p.op_type == "MatMul" and any(c.op_type == "MatMul" for c in after):
            chains += 1
    return {
        "MultiHeadAttention": sum(1 for n in g.node if n.op_type == "MultiHeadAttention" and n.domain == MS_DOMAIN),
        "MatMul-Softmax-MatMul": chains,
        "Softmax": sum(1 for n in g.node if n.op_type == "Softmax"),
        "nodes": len(g.node),
    }


def install_fused_attention(modules) -> int:
    """Gives every diffusers Attention layer of `modules` a processor whose core is one
    com.microsoft MultiHeadAttention node in the ONNX graph (and plain SDPA in torch). Returns how
    many layers it replaced. Layers with masks or q/k norms (none in SVD) keep their processor."""
    import torch
    import torch.nn.functional as F
    from diffusers.models.attention_processor import Attention

    class MultiHeadAttention(torch.autograd.Function):
        """q [B,S,H*D], k and v [B,L,H*D] -> [B,S,H*D]; scale 1/sqrt(D), as SDPA's default."""

        @staticmethod
        def forward(ctx, q, k, v, heads: int):
            b, s, hd = q.shape
            d = hd // heads
            split = lambda t: t.reshape(b, -1, heads, d).transpose(1, 2)
            o = F.scaled_dot_product_attention(split(q), split(k), split(v))
            return o.transpose(1, 2).reshape(b, s, hd)

        @staticmethod
        def symbolic(g, q, k, v, heads: int):
            return g.op(f"{MS_DOMAIN}::MultiHeadAttention", q, k, v, num_heads_i=heads)

    class FusedAttnProcessor:
        """diffusers' AttnProcessor2_0 with the head split, SDPA and head merge as one fused op."""

        def __call__(self, attn, hidden_states, encoder_hidden_states=None, attention_mask=None, temb=None, *args, **kwargs):
            residual = hidden_states
            if attn.spatial_norm is not None:
                hidden_states = attn.spatial_norm(hidden_states, temb)
            input_ndim = hidden_states.ndim
            if input_ndim == 4:
                batch, channel, height, width = hidden_states.shape
                hidden_states = hidden_states.view(batch, channel, height * width).transpose(1, 2)
            if attn.group_norm is not None:
                hidden_states = attn.group_norm(hidden_states.transpose(1, 2)).transpose(1, 2)
            query = attn.to_q(hidden_states)
            if encoder_hidden_states is None:
                encoder_hidden_states = hidden_states
            elif attn.norm_cross:
                encoder_hidden_states = attn.norm_encoder_hidden_states(encoder_hidden_states)
            key = attn.to_k(encoder_hidden_states)
            value = attn.to_v(encoder_hidden_states)
            hidden_states = MultiHeadAttention.apply(query, key, value, attn.heads).to(query.dtype)
            hidden_states = attn.to_out[1](attn.to_out[0](hidden_states))
            if input_ndim == 4:
                hidden_states = hidden_states.transpose(-1, -2).reshape(batch, channel, height, width)
            if attn.residual_connection:
                hidden_states = hidden_states + residual
            return hidden_states / attn.rescale_output_factor

    count = 0
    for module in modules:
        for m in module.modules():
            if isinstance(m, Attention) and m.norm_q is None and m.norm_k is None and not getattr(m, "is_cross_attention_mask", False):
                m.set_processor(FusedAttnProcessor())
                count += 1
    return count


# ------------------------------------------------------------------------------------------------
# Models


def tiny_pipeline(seed: int):
    """The random-weight tiny SVD of fixtures/tiny-svd (its README): the SVD-XT architecture at
    32 channels, same seeds and weight perturbation. Returns (unet, vae, image_encoder)."""
    import torch
    from diffusers import AutoencoderKLTemporalDecoder, UNetSpatioTemporalConditionModel
    from transformers import CLIPVisionConfig, CLIPVisionModelWithProjection

    torch.manual_seed(seed)
    unet = UNetSpatioTemporalConditionModel(
        sample_size=16, in_channels=8, out_channels=4,
        down_block_types=["CrossAttnDownBlockSpatioTemporal", "DownBlockSpatioTemporal", "DownBlockSpatioTemporal", "DownBlockSpatioTemporal"],
        up_block_types=["UpBlockSpatioTemporal", "UpBlockSpatioTemporal", "UpBlockSpatioTemporal", "CrossAttnUpBlockSpatioTemporal"],
        block_out_channels=[32, 32, 32, 32], addition_time_embed_dim=256, projection_class_embeddings_input_dim=768,
        layers_per_block=1, cross_attention_dim=1024, transformer_layers_per_block=1, num_attention_heads=[2, 2, 2, 2], num_frames=25)
    vae = AutoencoderKLTemporalDecoder(
        in_channels=3, out_channels=3, down_block_types=["DownEncoderBlock2D"] * 4, block_out_channels=[32, 32, 32, 32],
        layers_per_block=1, latent_channels=4, sample_size=128, scaling_factor=0.18215, force_upcast=True)
    clip = CLIPVisionModelWithProjection(CLIPVisionConfig(
        hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2, image_size=224, patch_size=14,
        projection_dim=1024, hidden_act="gelu", layer_norm_eps=1e-05))
    gen = torch.Generator().manual_seed(seed + 1)
    with torch.no_grad():
        for module in (unet, vae, clip):
            for _, p in sorted(module.named_parameters(), key=lambda kv: kv[0]):
                if p.ndim <= 1:
                    p.add_(0.1 * torch.randn(p.shape, generator=gen))
    return unet.eval(), vae.eval(), clip.eval()


def pretrained_pipeline(repo: str, dtype, device):
    from diffusers import StableVideoDiffusionPipeline

    kwargs = {"variant": "fp16"} if str(dtype) == "torch.float16" else {}
    try:
        pipe = StableVideoDiffusionPipeline.from_pretrained(repo, torch_dtype=dtype, **kwargs)
    except (OSError, ValueError):  # a local folder or a repo without an fp16 variant
        pipe = StableVideoDiffusionPipeline.from_pretrained(repo, torch_dtype=dtype)
    return pipe.unet.eval(), pipe.vae.eval(), pipe.image_encoder.eval()


# ------------------------------------------------------------------------------------------------
# Export and check


def wrappers():
    import torch

    class ImageEncoder(torch.nn.Module):
        def __init__(self, enc):
            super().__init__()
            self.enc = enc

        def forward(self, pixel_values):
            return self.enc(pixel_values).image_embeds

    class VaeEncoder(torch.nn.Module):
        def __init__(self, vae):
            super().__init__()
            self.vae = vae

        def forward(self, sample):
            return self.vae.encode(sample).latent_dist.mode()

    class Unet(torch.nn.Module):
        def __init__(self, unet):
            super().__init__()
            self.unet = unet

        def forward(self, sample, timestep, encoder_hidden_states, added_time_ids):
            return self.unet(sample, timestep, encoder_hidden_states=encoder_hidden_states, added_time_ids=added_time_ids, return_dict=False)[0]

    class VaeDecoder(torch.nn.Module):
        def __init__(self, vae):
            super().__init__()
            self.vae = vae

        def forward(self, latent_sample, num_frames):
            return self.vae.decode(latent_sample, num_frames=num_frames).sample

    return ImageEncoder, VaeEncoder, Unet, VaeDecoder


def unet_inputs(torch, batch, frames, h, w, dtype, device, gen):
    return (
        torch.randn(batch, frames, 8, h, w, generator=gen).to(device, dtype) * 2.0,
        torch.tensor([0.25 * math.log(5.0)] * batch, dtype=torch.float32, device=device),
        torch.randn(batch, 1, 1024, generator=gen).to(device, dtype),
        torch.tensor([[6.0, 127.0, 0.02]] * batch, dtype=dtype, device=device),
    )


def check_component(name: str, path: Path, module, reference, cases, dtype: str, providers, same_dtype: bool) -> list[dict]:
    """Runs the graph with onnxruntime on each case and compares with the torch module it was
    traced from (`module`, when `same_dtype`) and with the plain float32 diffusers module
    (`reference`, always: unfused attention, no float16 rounding)."""
    import numpy as np
    import onnxruntime as ort
    import torch

    so = ort.SessionOptions()
    so.log_severity_level = 3  # constant-folding notes about float16 Sigmoid kernels are noise here
    sess = ort.InferenceSession(str(path), so, providers=providers)
    names = [i.name for i in sess.get_inputs()]
    rows = []
    for inputs in cases:
        feeds = {n: t.detach().cpu().numpy() for n, t in zip(names, inputs)}
        got = sess.run(None, feeds)[0].astype(np.float32)
        with torch.no_grad():
            ref_inputs = [t.float().cpu() if t.is_floating_point() else t.cpu() for t in inputs]
            ref = reference(*ref_inputs).float().cpu().numpy()
            want = module(*inputs).float().cpu().numpy() if same_dtype else None
        scale = float(np.abs(ref).max()) or 1.0
        row = {
            "component": name,
            "dtype": dtype,
            "shapes": [list(t.shape) for t in inputs if t.ndim > 0] + [[int(t)] for t in inputs if t.ndim == 0],
            "max_abs_vs_torch": float(np.abs(got - want).max()) if want is not None else None,
            "max_abs_vs_torch_fp32": float(np.abs(got - ref).max()),
            "max_abs_torch": scale,
        }
        same = f"vs torch ({dtype}, same graph) max abs {row['max_abs_vs_torch']:.3g}, " if want is not None else ""
        print(f"  check {name} {row['shapes']}: onnxruntime {same}vs torch float32 diffusers max abs "
              f"{row['max_abs_vs_torch_fp32']:.3g} (max abs of output {scale:.3g})", flush=True)
        worst = max(row["max_abs_vs_torch_fp32"], row["max_abs_vs_torch"] or 0.0)
        row["ok"] = bool(np.isfinite(got).all() and worst <= TOLERANCE[dtype] * max(scale, 1.0))
        rows.append(row)
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", choices=sorted(REPOS), default="svd-xt")
    ap.add_argument("--repo", help="diffusers repository or local folder (default: the variant's stabilityai repo)")
    ap.add_argument("--tiny", action="store_true", help="export the random-weight tiny SVD of fixtures/tiny-svd instead (no download)")
    ap.add_argument("--seed", type=int, default=1234, help="with --tiny: the weight seed")
    ap.add_argument("--out", required=True, type=Path, help="model folder to write")
    ap.add_argument("--dtype", choices=["float16", "float32"], default="float16")
    ap.add_argument("--device", default="cuda", help="cuda (falls back to cpu when there is none) or cpu")
    ap.add_argument("--height", type=int, help="trace height (default 576, 128 with --tiny)")
    ap.add_argument("--width", type=int, help="trace width (default 1024, 256 with --tiny)")
    ap.add_argument("--no-fuse-attention", action="store_true", help="keep diffusers' MatMul-Softmax-MatMul attention")
    ap.add_argument("--check-height", type=int, default=128, help="image height of the onnxruntime checks (small: they run on the CPU)")
    ap.add_argument("--check-width", type=int, default=256)
    ap.add_argument("--report", type=Path, help="also write the checks and attention node counts here as JSON")
    args = ap.parse_args(argv)

    import torch

    height = args.height or (128 if args.tiny else 576)
    width = args.width or (256 if args.tiny else 1024)
    for v, what in ((height, "--height"), (width, "--width"), (args.check_height, "--check-height"), (args.check_width, "--check-width")):
        if v % 64:
            sys.exit(f"{what} must be a multiple of 64 (got {v})")
    device = torch.device(args.device if (args.device != "cuda" or torch.cuda.is_available()) else "cpu")
    dtype = torch.float16 if args.dtype == "float16" else torch.float32
    repo, frame_counts = REPOS[args.variant]
    repo = args.repo or repo
    if args.tiny:
        print(f"building the tiny random-weight SVD (seed {args.seed})", flush=True)
        unet32, vae32, clip32 = tiny_pipeline(args.seed)
        frame_counts = [14, 25]
        source = f"tiny random-weight SVD, seed {args.seed}"
    else:
        print(f"loading {repo} on {device}", flush=True)
        unet32, vae32, clip32 = pretrained_pipeline(repo, torch.float32, torch.device("cpu"))
        source = repo
    # The float32 modules stay on the CPU as the checks' reference; the traced copies are cast.
    traced = {
        "image_encoder": copy.deepcopy(clip32).to(device, dtype),
        "vae": copy.deepcopy(vae32).to(device, dtype),
        "unet": copy.deepcopy(unet32).to(device, dtype),
    }
    upcast_encoder = dtype == torch.float16 and bool(getattr(vae32.config, "force_upcast", False))
    vae_encoder_module = copy.deepcopy(vae32).to(device, torch.float32) if upcast_encoder else traced["vae"]
    fused = 0
    if not args.no_fuse_attention:
        fused = install_fused_attention([traced["image_encoder"], traced["vae"], traced["unet"], vae_encoder_module])
        print(f"attention: {fused} diffusers Attention layers export as {MS_DOMAIN} MultiHeadAttention", flush=True)

    ImageEncoder, VaeEncoder, Unet, VaeDecoder = wrappers()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    h, w = height // 8, width // 8
    ch, cw = args.check_height // 8, args.check_width // 8
    gen = torch.Generator().manual_seed(7)
    enc_dtype = torch.float32 if upcast_encoder else dtype
    trace_frames = frame_counts[-1]
    # name, module, its float32 reference, trace inputs, names, dynamic axes, check cases, dtype
    jobs = [
        ("image_encoder", ImageEncoder(traced["image_encoder"]), ImageEncoder(clip32), args.dtype,
         (torch.randn(1, 3, 224, 224, generator=gen).to(device, dtype),), ["pixel_values"], ["image_embeds"],
         {"pixel_values": {0: "B"}, "image_embeds": {0: "B"}},
         [(torch.randn(2, 3, 224, 224, generator=gen).to(device, dtype),)]),
        ("vae_encoder", VaeEncoder(vae_encoder_module), VaeEncoder(vae32), "float32" if upcast_encoder else args.dtype,
         (torch.rand(1, 3, height, width, generator=gen).to(device, enc_dtype) * 2 - 1,), ["sample"], ["latent"],
         {"sample": {0: "B", 2: "H", 3: "W"}, "latent": {0: "B", 2: "h", 3: "w"}},
         [(torch.rand(2, 3, args.check_height, args.check_width, generator=gen).to(device, enc_dtype) * 2 - 1,)]),
        ("unet", Unet(traced["unet"]), Unet(unet32), args.dtype,
         unet_inputs(torch, 2, trace_frames, h, w, dtype, device, gen),
         ["sample", "timestep", "encoder_hidden_states", "added_time_ids"], ["out_sample"],
         {"sample": {0: "B", 1: "F", 3: "h", 4: "w"}, "timestep": {0: "B"}, "encoder_hidden_states": {0: "B"},
          "added_time_ids": {0: "B"}, "out_sample": {0: "B", 1: "F", 3: "h", 4: "w"}},
         [unet_inputs(torch, 2, 14, ch, cw, dtype, device, gen), unet_inputs(torch, 1, 25, ch, cw, dtype, device, gen)]),
        # Traced small (the axes are dynamic): the temporal decoder is the costliest module to run.
        ("vae_decoder", VaeDecoder(traced["vae"]), VaeDecoder(vae32), args.dtype,
         (torch.randn(2, 4, 8, 8, generator=gen).to(device, dtype), torch.tensor(2, dtype=torch.int64, device=device)),
         ["latent_sample", "num_frames"], ["sample"],
         {"latent_sample": {0: "N", 2: "h", 3: "w"}, "sample": {0: "N", 2: "H", 3: "W"}},
         [(torch.randn(6, 4, ch, cw, generator=gen).to(device, dtype), torch.tensor(3, dtype=torch.int64, device=device))]),
    ]
    import onnxruntime as ort

    providers = [p for p in ("CUDAExecutionProvider", "CPUExecutionProvider") if p in ort.get_available_providers() and (p != "CUDAExecutionProvider" or device.type == "cuda")]
    components, checks, attention = {}, [], {}
    for name, module, reference, comp_dtype, inputs, in_names, out_names, axes, cases in jobs:
        scratch = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=out))
        print(f"exporting {name} ({comp_dtype})", flush=True)
        try:
            with torch.no_grad():
                torch.onnx.export(module.eval(), inputs, str(scratch / f"{name}.onnx"), input_names=in_names, output_names=out_names,
                                  dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True, dynamo=False,
                                  custom_opsets={MS_DOMAIN: 1})
            external = save_component(scratch, out, name, external=(name == "unet" or folder_bytes(scratch) > 1_800_000_000))
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        attention[name] = attention_nodes(out / f"{name}.onnx")
        print(f"  {name}: {attention[name]}", flush=True)
        entry = file_entry(out, f"{name}.onnx")
        entry["dtype"] = comp_dtype
        entry["externalData"] = [file_entry(out, e) for e in external]
        components[name] = entry
        print(f"  {name}.onnx {entry['bytes']} bytes" + (f" + {external[0]} {entry['externalData'][0]['bytes']} bytes" if external else ""), flush=True)
        # PyTorch's float16 convolutions on the CPU are ~100x slower than float32 (one 32-channel 3x3
        # conv on 4x128x256: 89 s against 1.0 s), so there the decoder is checked against float32 only.
        same_dtype = not (device.type == "cpu" and comp_dtype == "float16" and name == "vae_decoder")
        checks += check_component(name, out / f"{name}.onnx", module, reference, cases, comp_dtype, providers, same_dtype)
        if device.type == "cuda":
            torch.cuda.empty_cache()

    report = {"checks": checks, "attention": attention, "fusedLayers": fused, "providers": providers,
              "versions": versions()}
    if args.report:
        args.report.write_text(json.dumps(report, indent=2) + "\n")
    bad = [c for c in checks if not c["ok"]]
    if bad:
        for c in bad:
            print(f"FAILED: {c['component']} {c['shapes']} differs from torch: {c}", file=sys.stderr)
        print("model.json not written: the folder is not usable", file=sys.stderr)
        return 1

    manifest = {
        "format": 1,
        "family": args.variant,
        "name": (f"Tiny random-weight SVD ({args.dtype}, seed {args.seed}) - test model, not a real one" if args.tiny
                 else f"Stable Video Diffusion {'XT ' if args.variant == 'svd-xt' else ''}({args.dtype}, exported from {repo})"),
        "dtype": args.dtype,
        "components": components,
        "latentChannels": 4,
        "latentScale": float(vae32.config.scaling_factor),
        "downsampling": 8,
        "frameCounts": frame_counts,
        "size": {"width": width, "height": height},
        "sizeMultiple": 64,
        "sigma": {"min": 0.002, "max": 700.0},
        "parameterization": "v",
        "conditioning": {"fps": 7, "motionBucketId": 127, "noiseAugStrength": 0.02},
    }
    tmp = out / "model.json.partial"
    tmp.write_text(json.dumps(manifest, indent=2) + "\n")
    tmp.replace(out / "model.json")
    print(f"exported {source}; wrote {out / 'model.json'}; check it with: npx camtrack models check {out}")
    return 0


def versions() -> dict:
    import importlib.metadata as md

    out = {"python": sys.version.split()[0]}
    for pkg in ("torch", "diffusers", "transformers", "onnx", "onnxruntime", "protobuf", "numpy"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = None
    return out


if __name__ == "__main__":
    sys.exit(main())
