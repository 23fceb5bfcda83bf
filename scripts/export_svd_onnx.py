#!/usr/bin/env python3
"""Export Stable Video Diffusion (diffusers) to a Camtrack Studio model folder.

Writes image_encoder.onnx, vae_encoder.onnx, unet.onnx (+ unet.onnx.data), vae_decoder.onnx and
model.json (with the size and sha256 of every file) following the contract of DESIGN.md section 5:

  image_encoder: pixel_values [B,3,224,224]                     -> image_embeds [B,1024]
  vae_encoder:   sample [B,3,H,W] in [-1,1]                     -> latent [B,4,H/8,W/8] (mode)
  unet:          sample [B,F,8,h,w], timestep [B] (float32),
                 encoder_hidden_states [B,1,1024], added_time_ids [B,3] -> out_sample [B,F,4,h,w]
  vae_decoder:   latent_sample [N,4,h,w], num_frames (int64 scalar)   -> sample [N,3,H,W]

Usage (a CUDA GPU with 24 GB makes the fp16 export fast; CPU works, slowly, with ~40 GB of RAM):

  python -m venv .venv-export && . .venv-export/bin/activate
  pip install torch diffusers transformers accelerate onnx onnxconverter-common
  huggingface-cli login     # the SVD weights are gated: accept the licence on huggingface.co first
  python scripts/export_svd_onnx.py --variant svd-xt --out ~/.camtrack/models/svd-xt-fp16
  npx camtrack models check ~/.camtrack/models/svd-xt-fp16

See docs/models.md for what each option does and how to publish the folder for `camtrack models download`.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

REPOS = {
    "svd": ("stabilityai/stable-video-diffusion-img2vid", 14),
    "svd-xt": ("stabilityai/stable-video-diffusion-img2vid-xt", 25),
}
OPSET = 17


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def file_entry(folder: Path, name: str) -> dict:
    p = folder / name
    return {"file": name, "sha256": sha256(p), "bytes": p.stat().st_size}


def finish(tmp_path: Path, out: Path, name: str, to_float16: bool) -> list[str]:
    """Loads the traced model from its scratch folder (torch writes one file per tensor for models
    over 2 GB), converts it to float16 if asked, and saves it as out/<name>.onnx with every weight in
    one <name>.onnx.data beside it when it is too large to be a single protobuf. Returns the external files."""
    import onnx

    model = onnx.load(str(tmp_path), load_external_data=True)
    if to_float16:
        from onnxconverter_common import float16

        model = float16.convert_float_to_float16(model, keep_io_types=False, disable_shape_infer=True)
        if name == "unet":
            _restore_float32_input(model, "timestep")
    path = out / f"{name}.onnx"
    data = path.name + ".data"
    for stale in (path, out / data):
        if stale.exists():
            stale.unlink()
    if model.ByteSize() > 1_900_000_000:
        onnx.save_model(model, str(path), save_as_external_data=True, all_tensors_to_one_file=True, location=data, size_threshold=1024)
        return [data]
    onnx.save_model(model, str(path))
    return []


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variant", choices=sorted(REPOS), default="svd-xt")
    ap.add_argument("--repo", help="diffusers repository or local folder (default: the variant's stabilityai repo)")
    ap.add_argument("--out", required=True, type=Path, help="model folder to write")
    ap.add_argument("--dtype", choices=["float16", "float32"], default="float16")
    ap.add_argument("--device", default="cuda", help="cuda (falls back to cpu when there is none) or cpu")
    ap.add_argument("--height", type=int, default=576)
    ap.add_argument("--width", type=int, default=1024)
    args = ap.parse_args()

    import torch
    from diffusers import StableVideoDiffusionPipeline

    if args.height % 64 or args.width % 64:
        sys.exit("--height and --width must be multiples of 64")
    repo, frames = REPOS[args.variant]
    repo = args.repo or repo
    device = torch.device(args.device if (args.device != "cuda" or torch.cuda.is_available()) else "cpu")
    # PyTorch lacks half-precision kernels for some ops on the CPU: there, trace in float32 and
    # convert the ONNX graphs to float16 afterwards.
    trace_dtype = torch.float16 if (args.dtype == "float16" and device.type == "cuda") else torch.float32
    convert_after = args.dtype == "float16" and trace_dtype == torch.float32
    print(f"loading {repo} ({trace_dtype}) on {device}", flush=True)
    kwargs = {"variant": "fp16"} if trace_dtype == torch.float16 else {}
    pipe = StableVideoDiffusionPipeline.from_pretrained(repo, torch_dtype=trace_dtype, **kwargs).to(device)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    h, w = args.height // 8, args.width // 8

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

    t = dict(device=device, dtype=trace_dtype)
    jobs = [
        ("image_encoder", ImageEncoder(pipe.image_encoder), (torch.randn(1, 3, 224, 224, **t),), ["pixel_values"], ["image_embeds"],
         {"pixel_values": {0: "B"}, "image_embeds": {0: "B"}}),
        ("vae_encoder", VaeEncoder(pipe.vae), (torch.randn(1, 3, args.height, args.width, **t),), ["sample"], ["latent"],
         {"sample": {0: "B", 2: "H", 3: "W"}, "latent": {0: "B", 2: "h", 3: "w"}}),
        ("unet", Unet(pipe.unet),
         (torch.randn(2, frames, 8, h, w, **t), torch.tensor([0.25 * 3.0] * 2, device=device, dtype=torch.float32),
          torch.randn(2, 1, 1024, **t), torch.tensor([[6.0, 127.0, 0.02]] * 2, **t)),
         ["sample", "timestep", "encoder_hidden_states", "added_time_ids"], ["out_sample"],
         {"sample": {0: "B", 1: "F", 3: "h", 4: "w"}, "timestep": {0: "B"}, "encoder_hidden_states": {0: "B"},
          "added_time_ids": {0: "B"}, "out_sample": {0: "B", 1: "F", 3: "h", 4: "w"}}),
        ("vae_decoder", VaeDecoder(pipe.vae), (torch.randn(4, 4, h, w, **t), torch.tensor(4, dtype=torch.int64, device=device)),
         ["latent_sample", "num_frames"], ["sample"],
         {"latent_sample": {0: "N", 2: "h", 3: "w"}, "sample": {0: "N", 2: "H", 3: "W"}}),
    ]
    components = {}
    for name, module, inputs, in_names, out_names, axes in jobs:
        scratch = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=out))
        tmp_path = scratch / f"{name}.onnx"
        print(f"exporting {name}", flush=True)
        try:
            with torch.no_grad():
                torch.onnx.export(module.eval(), inputs, str(tmp_path), input_names=in_names, output_names=out_names,
                                  dynamic_axes=axes, opset_version=OPSET, do_constant_folding=True, dynamo=False)
            external = finish(tmp_path, out, name, convert_after)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        entry = file_entry(out, f"{name}.onnx")
        entry["externalData"] = [file_entry(out, e) for e in external]
        components[name] = entry
        print(f"  {name}.onnx {entry['bytes']} bytes" + (f" + {external[0]}" if external else ""), flush=True)
        del module
        if device.type == "cuda":
            torch.cuda.empty_cache()

    manifest = {
        "format": 1,
        "family": args.variant,
        "name": f"Stable Video Diffusion {'XT ' if args.variant == 'svd-xt' else ''}({args.dtype}, exported from {repo})",
        "dtype": args.dtype,
        "components": components,
        "latentChannels": 4,
        "latentScale": float(pipe.vae.config.scaling_factor),
        "downsampling": 8,
        "frameCounts": [frames],
        "size": {"width": args.width, "height": args.height},
        "sizeMultiple": 64,
        "sigma": {"min": 0.002, "max": 700.0},
        "parameterization": "v",
        "conditioning": {"fps": 7, "motionBucketId": 127, "noiseAugStrength": 0.02},
    }
    (out / "model.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {out / 'model.json'}; check it with: npx camtrack models check {out}")
    return 0


def _restore_float32_input(model, name: str) -> None:
    """After a float16 conversion, give `name` back its float32 type with a Cast to float16 behind it."""
    from onnx import TensorProto, helper

    graph = model.graph
    for inp in graph.input:
        if inp.name == name and inp.type.tensor_type.elem_type == TensorProto.FLOAT16:
            inp.type.tensor_type.elem_type = TensorProto.FLOAT
            cast_out = name + "_fp16"
            for node in graph.node:
                node.input[:] = [cast_out if i == name else i for i in node.input]
            graph.node.insert(0, helper.make_node("Cast", [name], [cast_out], to=TensorProto.FLOAT16))


if __name__ == "__main__":
    sys.exit(main())
