import { OnnxGraph, attr } from '../models/onnxGraph';
import { DEPTH_MODEL_INPUT, DEPTH_MODEL_OUTPUT, DEPTH_MODEL_PATCH } from './estimate-tensor';

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
}

export function buildTestDepthModel(o: TestDepthModelOptions = {}): Uint8Array {
  const names = { input: o.input ?? DEPTH_MODEL_INPUT, output: o.output ?? DEPTH_MODEL_OUTPUT };
  const g = new OnnxGraph('camtrack_test_depth');
  const x = g.input(names.input, 'float32', [1, 3, 'H', 'W']);
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
