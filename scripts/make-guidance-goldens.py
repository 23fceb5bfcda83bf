#!/usr/bin/env python3
"""Golden outputs of the NVS-Solver reference (warp, masks, DGS steps) at any size, seed and step count.

Writes a folder in the layout of fixtures/nvs-guidance (read by `camtrack verify guidance DIR`), computed
by the reference's own functions: this script holds none of the reference's code. It reads the functions
it needs from a checkout of https://github.com/ZHU-Zhiyu/NVS_Solver that you pass with --ref (commit
b69f2f7b4e14d7f7f718f93e9e3a4adaada60304), takes each one's source text, applies the size-only
substitutions listed in EDITS (the pipelines hard-code 1024x576) and a few that append a trace of
intermediate arrays (no value changes), and exec's them. The scheduler is the checkout's vendored
diffusers EulerDiscreteScheduler, imported unmodified.

Needs python 3.11 with numpy, torch (CPU), opencv-python-headless, pillow, scipy, huggingface_hub,
matplotlib, requests, filelock, safetensors, regex and importlib_metadata (the vendored diffusers
imports them). Example:

    python scripts/make-guidance-goldens.py --ref ../NVS_Solver --out fixtures/nvs-guidance-small \
        --seed 7 --height 40 --width 48 --steps 10 --pick 0,4,9

The reference pipelines take 25 frames (their index lists are literal), so the sets always have 25.
"""
import argparse
import ast
import hashlib
import json
import os
import sys
import tempfile

import cv2
import numpy as np
import PIL.Image
import torch
from scipy.interpolate import CubicSpline
from scipy.optimize import minimize_scalar
from scipy.spatial.transform import Rotation, Slerp

FRAMES = 25
SINGLE = 'svd_interpolate_single_img_dgs.py'
TWO = 'svd_interpolate_two_img_dgs.py'
DYN = 'svd_interpolate_dyn_img_dgs.py'
SCHEDULER = 'src/diffusers/schedulers/scheduling_euler_discrete.py'
SCHEDULER_CONFIG = dict(
    num_train_timesteps=1000, beta_start=0.00085, beta_end=0.012, beta_schedule='scaled_linear',
    prediction_type='v_prediction', interpolation_type='linear', use_karras_sigmas=True, sigma_min=0.002,
    sigma_max=700.0, timestep_spacing='leading', timestep_type='continuous', steps_offset=1)

# (file, function, old, new, count): size-only edits, as the fixture's README lists them.
SIZE = [
    ('focal = 260.', 'focal = 260.*W/1024.', 1),
    ('1024./2', 'W/2.', 1),
    ('576./2', 'H/2.', 1),
]
POOL = [
    ('reshape(72,8,128,8)', 'reshape(H//8,8,W//8,8)', 1),
    ('reshape(72,128,64)', 'reshape(H//8,W//8,64)', 1),
]
# Traces: the forward warp's outputs and the 8x8 block means, appended to a list (values unchanged).
WARP_CALL = 'warped_frame2, mask2,flow12= forward_warp(image, None, depth, pose_s, pose_t, K, None)'
TRACE = [
    (WARP_CALL, WARP_CALL + "; _TRACE['warp'].append((warped_frame2.copy(), mask2.copy(), depth.copy()))", 1),
    ('mask_erosion = np.mean(mask_erosion,axis=2)',
     "mask_erosion = np.mean(mask_erosion,axis=2); _TRACE['mean'].append(mask_erosion.copy())", 1),
]
EDITS = {
    (SINGLE, 'save_warped_image'): SIZE + [
        ('image_o.resize((1024,576),', 'image_o.resize((W,H),', 1),
        ('new_width, new_height = 1024,576', 'new_width, new_height = W,H', 1),
    ] + POOL + TRACE,
    (TWO, 'warp_images'): [
        ('.resize((1024,576),', '.resize((W,H),', 2),
        ('new_width, new_height = 1024,576', 'new_width, new_height = W,H', 2),
    ] + POOL + TRACE,
    (DYN, 'save_warped_image'): SIZE + POOL + TRACE,
}
FUNCTIONS = {
    SINGLE: ['normalize', 'look_at_matrix', 'generate_camera_poses_around_ellipse', 'create_grid',
             'compute_transformed_points', 'bilinear_splatting', 'forward_warp', 'save_warped_image'],
    TWO: ['create_grid', 'compute_transformed_points', 'bilinear_splatting', 'forward_warp', 'pose_interpolation',
          'warp_images', 'compute_dists', 'search_hypers'],
    DYN: ['normalize', 'look_at_matrix', 'generate_camera_poses_around_ellipse', 'create_grid',
          'compute_transformed_points', 'bilinear_splatting', 'forward_warp', 'save_warped_image'],
}


def load_pipeline(ref, file, size, extra=None):
    """The reference file's functions, edited and exec'd into a namespace of their own."""
    text = open(os.path.join(ref, file), encoding='utf-8').read()
    tree = ast.parse(text)
    defs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    ns = dict(np=np, cv2=cv2, PIL=PIL, torch=torch, os=os, R=Rotation, plt=plt, F=torch.nn.functional, Slerp=Slerp, CubicSpline=CubicSpline,
              minimize_scalar=minimize_scalar, Optional=__import__('typing').Optional,
              Tuple=__import__('typing').Tuple, H=size[0], W=size[1], _TRACE={'warp': [], 'mean': []})
    ns.update(extra or {})
    lines = []
    for name in FUNCTIONS[file]:
        node = defs[name]
        src = ast.get_source_segment(text, node)
        for old, new, count in EDITS.get((file, name), []):
            if src.count(old) != count:
                sys.exit(f'{file} {name}: expected {count} x {old!r}, found {src.count(old)}; is --ref at the right commit?')
            src = src.replace(old, new)
        exec(compile(src, f'{file}:{name}', 'exec'), ns)
        lines.append({'file': file, 'function': name, 'lines': [node.lineno, node.end_lineno]})
    return ns, lines


def save(out, rel, a):
    path = os.path.join(out, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.save(path, np.ascontiguousarray(a))


def png(path, arr):
    PIL.Image.fromarray(arr).save(path, format='PNG')


def scene(rng, h, w):
    """A photo and a Depth Anything style disparity with the edge cases the reference clips."""
    image = rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8)
    yy, xx = np.mgrid[0:h, 0:w]
    disparity = (20 + 60 * xx / w + 30 * np.sin(yy / 3.0)).astype(np.float32)
    disparity[:, :3] = 0  # -> depth 500 (the far clip)
    disparity[h // 2, :] = 10  # depth 1000 -> 500
    disparity[h // 3:h // 3 + 3, w // 3:w // 3 + 3] = 1e6  # depth 0.01, at the camera
    disparity[2 * h // 3, 2 * w // 3] = 1e9  # -> the near clip 1e-4
    return image, disparity


def single_k(h, w):
    K = np.eye(3)
    K[0, 0] = K[1, 1] = 260. * w / 1024.
    K[0, 2], K[1, 2] = w / 2., h / 2.
    return K


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--ref', required=True, help='a checkout of ZHU-Zhiyu/NVS_Solver')
    p.add_argument('--out', required=True)
    p.add_argument('--seed', type=int, default=7)
    p.add_argument('--height', type=int, default=40)
    p.add_argument('--width', type=int, default=48)
    p.add_argument('--steps', type=int, default=10)
    p.add_argument('--pick', default='0,4,9', help='kept steps, comma-separated')
    p.add_argument('--degrees', type=float, default=0.6)
    p.add_argument('--major', type=float, default=30.0)
    p.add_argument('--minor', type=float, default=25.0)
    a = p.parse_args()
    h, w = a.height, a.width
    if h % 8 or w % 8:
        sys.exit('--height and --width must be multiples of 8 (the reference pools 8x8 blocks by a reshape)')
    picks = [int(s) for s in a.pick.split(',')]
    if any(i < 0 or i >= a.steps for i in picks):
        sys.exit(f'--pick must name steps in 0..{a.steps - 1}')
    rng = np.random.default_rng(a.seed)
    torch.manual_seed(a.seed)
    out = a.out
    os.makedirs(out, exist_ok=True)
    used = []
    tmp = tempfile.mkdtemp(prefix='nvs-goldens-')

    # ---- single image: scene, its orbit through save_warped_image, and direct forward_warp cases
    single, lines = load_pipeline(a.ref, SINGLE, (h, w))
    used += lines
    image, disparity = scene(rng, h, w)
    png(os.path.join(tmp, 'photo.png'), image)
    np.save(os.path.join(tmp, 'disparity.npy'), disparity)
    _, masks, cond_images = single['save_warped_image'](tmp, os.path.join(tmp, 'photo.png'),
                                                         os.path.join(tmp, 'disparity.npy'), FRAMES, a.degrees,
                                                         a.major, a.minor)
    depth = single['_TRACE']['warp'][0][2]  # the pipeline's own 10000 / disparity, clipped
    save(out, 'scene/image.npy', image)
    save(out, 'scene/disparity.npy', disparity)
    save(out, 'scene/depth.npy', depth)
    poses = np.array(single['generate_camera_poses_around_ellipse'](FRAMES, a.degrees, a.major, a.minor))
    K = single_k(h, w)
    kept = [1, FRAMES // 2, FRAMES - 1]
    trace = single['_TRACE']
    dil = [np.array(PIL.Image.open(os.path.join(tmp, f'{j:04d}_mask.png')))[:, :, 0] for j in range(FRAMES - 1)]
    save(out, 'mask_single/K.npy', K)
    save(out, 'mask_single/orbit_poses.npy', poses)
    save(out, 'mask_single/frames.npy', np.array(kept, dtype=np.int64))
    save(out, 'mask_single/warped.npy', np.stack([trace['warp'][f - 1][0] for f in kept]).astype(np.uint8))
    save(out, 'mask_single/mask2.npy', np.stack([trace['warp'][f - 1][1] for f in kept]).astype(np.uint8))
    save(out, 'mask_single/dilated.npy', np.stack([dil[f - 1] for f in kept]))
    save(out, 'mask_single/cond.npy', np.stack([np.array(cond_images[f - 1]) for f in kept]))
    save(out, 'mask_single/latent_mask.npy', masks.numpy())
    save(out, 'mask_single/latent_mean.npy', np.stack(trace['mean']))

    pose_s = poses[0]
    shift = np.eye(4)
    shift[0, 3] = -8.0
    tiny = np.eye(4)
    tiny[0, 3] = -1e-4
    turn = np.eye(4)
    turn[:3, :3] = Rotation.from_euler('y', 4, degrees=True).as_matrix()
    K_asym = K.copy()
    K_asym[0, 0] *= 1.1
    K_asym[0, 2] += 1.5
    K_asym[1, 2] -= 2.5
    cases = [('orbit_%d' % kept[1], poses[kept[1]], K), ('orbit_%d' % kept[2], poses[kept[2]], K),
             ('sideways', shift @ pose_s, K), ('tiny_sideways', tiny @ pose_s, K),
             ('turn_sideways_asymK', turn @ shift @ pose_s, K_asym)]
    res = [single['forward_warp'](image, None, depth, pose_s, pt, k, None) for _, pt, k in cases]
    trans = [single['compute_transformed_points'](depth, pose_s, pt, k, None)[0] for _, pt, k in cases]
    save(out, 'warp_single/K.npy', np.stack([k for _, _, k in cases]))
    save(out, 'warp_single/pose_source.npy', pose_s)
    save(out, 'warp_single/pose_target.npy', np.stack([pt for _, pt, _ in cases]))
    save(out, 'warp_single/warped.npy', np.stack([r[0] for r in res]).astype(np.uint8))
    save(out, 'warp_single/mask2.npy', np.stack([r[1] for r in res]).astype(np.uint8))
    save(out, 'warp_single/flow12.npy', np.stack([r[2] for r in res]))
    save(out, 'warp_single/target_depth.npy', np.stack([t[:, :, 2, 0] for t in trans]))
    with open(os.path.join(out, 'warp_single/cases.json'), 'w') as f:
        json.dump({'cases': [c[0] for c in cases],
                   'hole_fraction': [float(1 - r[1].mean()) for r in res]}, f, indent=1)

    # ---- splat: bilinear_splatting of the three files on hand-made flows
    sh, sw = 8, 10
    frame1 = rng.integers(0, 256, size=(sh, sw, 3), dtype=np.uint8)
    flow = rng.uniform(-1.5, 1.5, size=(sh, sw, 2))
    flow[0, :, :] = np.round(flow[0, :, :])  # exact integer moves (4x deposits)
    flow[1, :2, :] = [[-sw - 3, 0.5], [sw + 2, -0.5]]  # off the edges
    flow[2, 3:8, 0] = 4 - np.arange(3, 8)  # five points onto one spot
    flow[2, 3:8, 1] = 1
    depth1 = rng.uniform(5, 200, size=(sh, sw))
    depth1[0, :5] = [0.01, 0.05, 0.1, 0.2, 0.02]
    depth1[3, :4] = [3000, 7000, 12000, -5]
    save(out, 'splat/frame1.npy', frame1)
    save(out, 'splat/depth1.npy', depth1)
    save(out, 'splat/flow12.npy', flow)
    dyn, lines = load_pipeline(a.ref, DYN, (h, w))
    used += lines
    two, lines = load_pipeline(a.ref, TWO, (h, w))
    used += lines
    for name, ns in (('single', single), ('two', two), ('dyn', dyn)):
        warped, mask = ns['bilinear_splatting'](frame1, None, depth1, flow, None, is_image=True)
        warped_float, _ = ns['bilinear_splatting'](frame1, None, depth1, flow, None, is_image=False)
        save(out, f'splat/warped_{name}.npy', warped.astype(np.uint8))
        save(out, f'splat/warped_float_{name}.npy', warped_float)
        save(out, f'splat/mask_{name}.npy', mask.astype(np.uint8))

    # ---- two images: pose_interpolation and warp_images (photo 1 at frame 0, photo 2 at the last frame)
    K2 = single_k(h, w).astype(np.float32)
    two['K'] = K2
    pose_start = poses[0]
    pose_end = np.array(single['generate_camera_poses_around_ellipse'](2, 12.0, a.major, a.minor))[1]
    interp = two['pose_interpolation'](pose_start, pose_end)
    tdir = os.path.join(tmp, 'two', 'scene')
    os.makedirs(tdir)
    images2 = [rng.integers(0, 256, size=(h, w, 3), dtype=np.uint8) for _ in range(2)]
    depths2 = []
    for j, img in enumerate(images2):
        yy, xx = np.mgrid[0:h, 0:w]
        d = (40 + 20 * np.cos(xx / 4.0 + j) + 10 * yy / h).astype(np.float32)
        d[:, -2:] = 2000 if j == 0 else 600  # beyond and inside the 1000 clip
        depths2.append(d)
        png(os.path.join(tmp, 'two', f'{j + 1:06d}.jpg'), img)  # PIL reads the PNG bytes losslessly
        np.save(os.path.join(tmp, 'two', f'{j + 1:06d}.npy'), d)
    _, _, masks2, cond2 = two['warp_images'](interp, 0, 0, tdir)
    t2 = two['_TRACE']
    dil2 = [np.array(PIL.Image.open(os.path.join(tdir, f'{j:04d}_mask.png')))[:, :, 0] for j in range(FRAMES - 2)]
    kept2 = [1, (FRAMES - 1) // 2, (FRAMES - 1) // 2 + 1, FRAMES - 2]
    save(out, 'warp_two/K.npy', K2)
    save(out, 'warp_two/image_left.npy', images2[0])
    save(out, 'warp_two/image_right.npy', images2[1])
    save(out, 'warp_two/depth_left.npy', depths2[0])
    save(out, 'warp_two/depth_right.npy', depths2[1])
    save(out, 'warp_two/pose_start.npy', pose_start)
    save(out, 'warp_two/pose_end.npy', pose_end)
    save(out, 'warp_two/poses.npy', interp)
    save(out, 'warp_two/frames.npy', np.array(kept2, dtype=np.int64))
    save(out, 'warp_two/warped.npy', np.stack([t2['warp'][f - 1][0] for f in kept2]).astype(np.uint8))
    save(out, 'warp_two/mask2.npy', np.stack([t2['warp'][f - 1][1] for f in kept2]).astype(np.uint8))
    save(out, 'warp_two/dilated.npy', np.stack([dil2[f - 1] for f in kept2]))
    save(out, 'warp_two/cond.npy', np.stack([np.array(cond2[f - 1]) for f in kept2]))
    save(out, 'warp_two/latent_mask.npy', masks2.numpy())
    save(out, 'warp_two/latent_mean.npy', np.stack(t2['mean']))

    # ---- two images: the lambda table of its search (compute_dists, search_hypers) at 100 steps
    sys.path.insert(0, os.path.join(a.ref, 'src'))
    import huggingface_hub
    huggingface_hub.cached_download = huggingface_hub.hf_hub_download  # imported (unused) by the vendored package
    from diffusers.schedulers.scheduling_euler_discrete import EulerDiscreteScheduler
    sched100 = EulerDiscreteScheduler(**SCHEDULER_CONFIG)
    sched100.set_timesteps(100)
    dists, split = two['compute_dists'](interp)
    lam_two = two['search_hypers'](interp, dists, sched100.sigmas.numpy().tolist(), tmp)
    save(out, 'lambda_two/poses.npy', interp)
    save(out, 'lambda_two/sigmas.npy', sched100.sigmas.numpy())
    save(out, 'lambda_two/dists.npy', np.asarray(dists, dtype=np.float64))
    save(out, 'lambda_two/split.npy', np.array([split], dtype=np.int64))
    save(out, 'lambda_two/lambda_ts.npy', lam_two.numpy())

    # ---- video: frame k (its own image and disparity) warped from orbit pose 0 to pose k
    ddir = os.path.join(tmp, 'dyn')
    os.makedirs(ddir)
    vid_images, vid_disp, ipaths, dpaths = [], [], [], []
    for k in range(FRAMES):
        img, disp = scene(rng, h, w)
        disp[h // 4, :] = 0.5  # depth 20000 -> the video clip 10000
        vid_images.append(img)
        vid_disp.append(disp)
        ipaths.append(os.path.join(ddir, 'images', f'{k:06d}.png'))
        dpaths.append(os.path.join(ddir, f'{k:06d}.npy'))
        os.makedirs(os.path.dirname(ipaths[-1]), exist_ok=True)
        png(ipaths[-1], img)
        np.save(dpaths[-1], disp)
    _, masks3, cond3 = dyn['save_warped_image'](ddir, ipaths, dpaths, FRAMES, a.degrees, a.major, a.minor)
    t3 = dyn['_TRACE']
    dil3 = [np.array(PIL.Image.open(os.path.join(ddir, f'{j:04d}_mask.png')))[:, :, 0] for j in range(FRAMES - 1)]
    vdepth = [None] + [t3['warp'][k - 1][2] for k in range(1, FRAMES)]  # the pipeline's 10000 / disparity, clipped
    save(out, 'warp_dyn/K.npy', single_k(h, w))
    save(out, 'warp_dyn/frames.npy', np.array(kept, dtype=np.int64))
    save(out, 'warp_dyn/image.npy', np.stack([vid_images[k] for k in kept]))
    save(out, 'warp_dyn/disparity.npy', np.stack([vid_disp[k] for k in kept]))
    save(out, 'warp_dyn/depth.npy', np.stack([vdepth[k] for k in kept]))
    save(out, 'warp_dyn/pose_source.npy', poses[0])
    save(out, 'warp_dyn/pose_target.npy', np.stack([poses[k] for k in kept]))
    save(out, 'warp_dyn/warped.npy', np.stack([t3['warp'][k - 1][0] for k in kept]).astype(np.uint8))
    save(out, 'warp_dyn/mask2.npy', np.stack([t3['warp'][k - 1][1] for k in kept]).astype(np.uint8))
    save(out, 'warp_dyn/dilated.npy', np.stack([dil3[k - 1] for k in kept]))
    save(out, 'warp_dyn/cond.npy', np.stack([np.array(cond3[k - 1]) for k in kept]))
    save(out, 'warp_dyn/latent_mask.npy', masks3.numpy()[[k - 1 for k in kept]])

    # ---- DGS steps through the vendored scheduler
    lh, lw = h // 8, w // 8
    for folder, method, guided in (('dgs_single', 'step_single_dgs', FRAMES - 1),
                                   ('dgs_multi', 'step_multi_dgs', FRAMES - 2)):
        sched = EulerDiscreteScheduler(**SCHEDULER_CONFIG)
        sched.set_timesteps(a.steps)
        sigmas = sched.sigmas.clone()
        holes = (masks.numpy() if guided == FRAMES - 1 else masks2.numpy()).astype(np.float64).copy()
        holes[2] = 0  # frame 3: no hole
        holes[14] = (rng.random((lh, lw)) < 0.3)  # frame 15: 30% at random
        holes[15] = 0
        holes[15][:, :max(1, lw // 3)] = 1  # frame 16: the left third
        holes[20] = 1  # frame 21: all holes
        lam = rng.random((a.steps, FRAMES))
        lam[:, 0] = 1
        if guided == FRAMES - 2:
            lam[:, FRAMES - 1] = 1
        for i in picks:
            lam[i, [3, 13, 15, 16, 21]] = rng.permutation([0, 1e-6, 0.3, 0.7, 1])
            lam[i, 5] = 1.25
        tcl = np.zeros((2, FRAMES, 4, lh, lw), dtype=np.float32)
        tcl[1] = rng.normal(0, 0.9, size=(FRAMES, 4, lh, lw))
        tcl_t = torch.from_numpy(tcl)
        mask_t = torch.from_numpy(holes).unsqueeze(1).unsqueeze(0).repeat(1, 1, 4, 1, 1)
        lam_t = torch.tensor(lam)
        save(out, f'{folder}/temp_cond_latents.npy', tcl)
        save(out, f'{folder}/holes.npy', holes.astype(np.uint8))
        save(out, f'{folder}/mask.npy', mask_t.numpy())
        save(out, f'{folder}/lambda_ts.npy', lam)
        save(out, f'{folder}/sigmas.npy', sigmas.numpy())
        save(out, f'{folder}/timesteps.npy', sched.timesteps.numpy())
        steps_json = {'kind': method, 'picks': picks, 'steps': []}
        spread = torch.linspace(0.05, 1, FRAMES).reshape(1, FRAMES, 1, 1, 1)
        for i in picks:
            sigma = sigmas[i]
            t = sched.timesteps[i]
            d_star = tcl_t[1:2] + spread * torch.randn(1, FRAMES, 4, lh, lw)
            x = (d_star + sigma * torch.randn(1, FRAMES, 4, lh, lw)).to(torch.float32)
            c_skip = 1 / (sigma ** 2 + 1)
            c_out = -sigma / (sigma ** 2 + 1) ** 0.5
            v = ((d_star - c_skip * x) / c_out).to(torch.float32)
            scaled = sched.scale_model_input(x.clone(), t, step_i=i)
            step = getattr(sched, method)
            plain = step(v.clone(), t, x.clone(), None, None, lam_t, step_i=i)
            guided_out = step(v.clone(), t, x.clone(), tcl_t.clone(), mask_t.clone(), lam_t, step_i=i)
            d = plain.pred_original_sample
            pred = guided_out.pred_original_sample
            replaced = (pred[0] != d[0]).to(torch.uint8)
            replaced[0] = 1
            tag = f'{folder}/step{i:02d}_'
            for name, arr in (('sample', x), ('model_output', v), ('scaled_input', scaled), ('denoised', d),
                              ('pred_original_sample', pred), ('prev_sample', guided_out.prev_sample),
                              ('prev_sample_unguided', plain.prev_sample)):
                save(out, f'{tag}{name}.npy', arr.numpy().astype(np.float32))
            save(out, f'{tag}replaced.npy', replaced.numpy())
            frames = []
            L = 4 * lh * lw
            for f in range(1, guided + 1):
                z = int(holes[f - 1].sum())
                lc = float(torch.clamp(lam_t[i, f], 0.4 if guided == FRAMES - 2 else None, 1))
                frames.append({'frame': f, 'lam': float(lam[i, f]), 'lam_clamped': lc, 'hole_pixels': z,
                               'cutoff_index_e': int(lc * (L - z)) + z, 'replaced': int(replaced[f].sum())})
            steps_json['steps'].append({'step': i, 'sigma': float(sigma), 'frames': frames})
        with open(os.path.join(out, f'{folder}/steps.json'), 'w') as f:
            json.dump(steps_json, f, indent=1)

    sha = {}
    for rel in (SINGLE, TWO, DYN, SCHEDULER):
        with open(os.path.join(a.ref, rel), 'rb') as f:
            sha[rel] = hashlib.sha256(f.read()).hexdigest()
    meta = {'set': os.path.basename(os.path.normpath(out)), 'command': ' '.join(['python scripts/make-guidance-goldens.py'] + ['NVS_SOLVER_CHECKOUT' if x == a.ref else x for x in sys.argv[1:]]), 'seed': a.seed,
            'height': h, 'width': w, 'latent': [lh, lw], 'frames': FRAMES, 'steps': a.steps, 'picks': picks,
            'degrees_per_frame': a.degrees, 'major_radius': a.major, 'minor_radius': a.minor,
            'reference': {'repo': 'https://github.com/ZHU-Zhiyu/NVS_Solver', 'sha256': sha, 'functions': used},
            'edits': [{'file': f, 'function': fn, 'old': o, 'new': n, 'count': c}
                      for (f, fn), es in EDITS.items() for o, n, c in es],
            'versions': {'python': sys.version.split()[0], 'numpy': np.__version__, 'torch': torch.__version__,
                         'opencv': cv2.__version__, 'pillow': PIL.__version__}}
    with open(os.path.join(out, 'meta.json'), 'w') as f:
        json.dump(meta, f, indent=1)
    print(f'wrote {out}')


if __name__ == '__main__':
    main()
