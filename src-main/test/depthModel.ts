import { OnnxGraph, attr } from '../engine/models/onnxGraph';
import { DEPTH_MODEL_INPUT, DEPTH_MODEL_OUTPUT, DEPTH_MODEL_PATCH } from '../engine/depth/estimate-tensor';

/**
 * A tiny model with the Depth Anything V2 ONNX contract, for tests (built with onnx-proto, a dev
 * dependency: never shipped). pixel_values [1, 3, H, W] -> predicted_depth [1, H, W]:
 * the channel mean of each 14x14 patch plus 3 (positive, like a disparity), so its output has the
 * input's size only when H and W are multiples of 14, as with the real ViT.
 */
export interface TestDepthModelOptions {
  input?: string;
  output?: string;
  /** Pooling window and upsampling factor (both 14 for the contract; tests break it on purpose). */
  pool?: number;
  upscale?: number;
  /**
   * Extra work before the real one: that many 3x3 convolutions of the whole input (weights that
   * keep the picture), so one run takes a noticeable time: the studio's end-to-end test cancels
   * an estimation while it runs.
   */
  slowOps?: number;
}

export function buildTestDepthModel(o: TestDepthModelOptions = {}): Uint8Array {
  const names = { input: o.input ?? DEPTH_MODEL_INPUT, output: o.output ?? DEPTH_MODEL_OUTPUT };
  const g = new OnnxGraph('camtrack_test_depth');
  let x = g.input(names.input, 'float32', [1, 3, 'H', 'W']);
  if (o.slowOps) {
    // Each output channel: its own input channel's 3x3 box mean (non-trivial, so not optimised away).
    const w = new Float32Array(3 * 3 * 9);
    for (let c = 0; c < 3; c++) for (let k = 0; k < 9; k++) w[(c * 3 + c) * 9 + k] = 1 / 9;
    const weight = g.constant('slow_w', 'float32', [3, 3, 3, 3], w);
    for (let i = 0; i < o.slowOps; i++) x = g.op('Conv', [x, weight], { pads: attr.ints([1, 1, 1, 1]) });
  }
  const p = o.pool ?? DEPTH_MODEL_PATCH;
  const u = o.upscale ?? DEPTH_MODEL_PATCH;
  const pooled = g.op('AveragePool', [x], { kernel_shape: attr.ints([p, p]), strides: attr.ints([p, p]) });
  const scales = g.constant('scales', 'float32', [4], [1, 1, u, u]);
  const up = g.op('Resize', [pooled, '', scales], { mode: attr.string('nearest') });
  const mean = g.op('ReduceMean', [up], { axes: attr.ints([1]), keepdims: attr.int(0) });
  const three = g.constant('three', 'float32', [], [3]);
  g.output(g.op('Add', [mean, three], {}, names.output), 'float32', [1, 'H', 'W']);
  return g.serialize().model;
}
