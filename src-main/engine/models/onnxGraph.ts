/**
 * A small typed builder for ONNX models, on top of onnx-proto's protobuf classes. The project makes
 * its own test and draft models with it (tiny VAE, image encoder, UNet, depth models), so graphs are
 * written as code, serialised to bytes, and loaded by onnxruntime like any exported model.
 *
 *   const g = new OnnxGraph('double');
 *   const x = g.input('x', 'float32', ['N', 3]);
 *   const two = g.constant('two', 'float32', [], [2]);
 *   g.output(g.op('Mul', [x, two], {}, 'y'), 'float32', ['N', 3]);
 *   const { model } = g.serialize();
 *
 * onnx-proto is a dev dependency: this module is for scripts and tests, never for the shipped app.
 */
import onnxProto from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';

// onnx-proto is CommonJS without static export names: Node's ESM loader only gives its default.
const { onnx } = onnxProto;
import { toFloat16 } from './float16';

export type ElemType = 'float32' | 'float16' | 'int64';
/** A fixed size, or a symbolic name such as 'B'. */
export type Dim = number | string;

const DATA_TYPE: Record<ElemType, number> = {
  float32: onnx.TensorProto.DataType.FLOAT,
  float16: onnx.TensorProto.DataType.FLOAT16,
  int64: onnx.TensorProto.DataType.INT64,
};

/** Attribute values are tagged so ints and floats cannot be confused. */
export type Attr =
  | { kind: 'int'; value: number }
  | { kind: 'ints'; value: number[] }
  | { kind: 'float'; value: number }
  | { kind: 'floats'; value: number[] }
  | { kind: 'string'; value: string };

export const attr = {
  int: (value: number): Attr => ({ kind: 'int', value }),
  ints: (value: number[]): Attr => ({ kind: 'ints', value }),
  float: (value: number): Attr => ({ kind: 'float', value }),
  floats: (value: number[]): Attr => ({ kind: 'floats', value }),
  string: (value: string): Attr => ({ kind: 'string', value }),
};

export interface InitializerOptions {
  /** Store the data in the external data file given to serialize() instead of inside the model. */
  external?: boolean;
}

export interface SerializeOptions {
  /** File name (relative to the model file) for initializers marked external. */
  externalDataFile?: string;
  /**
   * With externalDataFile: also store every float initializer of at least this many bytes
   * externally. int64 initializers stay inline: shape inference must read them (Reshape, Slice).
   */
  externalThreshold?: number;
  producer?: string;
}

export interface SerializedModel {
  model: Uint8Array;
  /** Bytes of the external data file, when some initializer is external. */
  externalData?: { file: string; bytes: Uint8Array };
}

interface PendingInit {
  name: string;
  type: ElemType;
  dims: number[];
  bytes: Uint8Array;
  external: boolean;
}

export const DEFAULT_OPSET = 17;

export class OnnxGraph {
  private readonly inputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly outputs: OnnxTypes.IValueInfoProto[] = [];
  private readonly nodes: OnnxTypes.INodeProto[] = [];
  private readonly inits: PendingInit[] = [];
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(
    readonly name: string,
    readonly opset = DEFAULT_OPSET,
  ) {}

  input(name: string, type: ElemType, dims: Dim[]): string {
    this.claim(name);
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Declares an existing value (usually a node output) as a graph output. */
  output(name: string, type: ElemType, dims: Dim[]): string {
    if (!this.names.has(name)) throw new Error(`output ${name} is not produced by the graph`);
    this.outputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** A weight or constant tensor. float16 data is given as float32 numbers and rounded. */
  constant(
    name: string,
    type: ElemType,
    dims: number[],
    data: ArrayLike<number> | ArrayLike<bigint>,
    options: InitializerOptions = {},
  ): string {
    this.claim(name);
    const count = dims.reduce((a, b) => a * b, 1);
    if (data.length !== count)
      throw new Error(`initializer ${name}: ${data.length} values for dims [${dims.join(', ')}] (${count})`);
    this.inits.push({ name, type, dims: [...dims], bytes: encode(type, data), external: options.external ?? false });
    return name;
  }

  /** Adds a node with one output and returns the output's name (generated unless given). */
  op(opType: string, inputs: string[], attrs: Record<string, Attr> = {}, outputName?: string): string {
    return this.opN(opType, inputs, 1, attrs, outputName ? [outputName] : undefined)[0];
  }

  opN(
    opType: string,
    inputs: string[],
    outputCount: number,
    attrs: Record<string, Attr> = {},
    outputNames?: string[],
  ): string[] {
    for (const i of inputs) if (i !== '' && !this.names.has(i)) throw new Error(`${opType}: unknown input ${i}`);
    const outs = outputNames ?? Array.from({ length: outputCount }, () => `${opType.toLowerCase()}_${this.counter++}`);
    for (const o of outs) this.claim(o);
    this.nodes.push({
      opType,
      name: `${opType}_${this.nodes.length}`,
      input: inputs,
      output: outs,
      attribute: Object.entries(attrs).map(([k, a]) => attribute(k, a)),
    });
    return outs;
  }

  serialize(options: SerializeOptions = {}): SerializedModel {
    const chunks: Uint8Array[] = [];
    let offset = 0;
    const initializer = this.inits.map((init): OnnxTypes.ITensorProto => {
      const base = { name: init.name, dataType: DATA_TYPE[init.type], dims: init.dims };
      const threshold = options.externalThreshold;
      const external =
        init.external ||
        (options.externalDataFile !== undefined &&
          threshold !== undefined &&
          init.type !== 'int64' &&
          init.bytes.length >= threshold);
      if (!external) return { ...base, rawData: init.bytes };
      if (!options.externalDataFile)
        throw new Error(`initializer ${init.name} is external but no externalDataFile was given`);
      // Offsets aligned to 4096, as onnx's own writer does, so runtimes may memory-map them.
      const pad = (4096 - (offset % 4096)) % 4096;
      if (pad) chunks.push(new Uint8Array(pad));
      offset += pad;
      const entry: OnnxTypes.ITensorProto = {
        ...base,
        dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
        externalData: [
          { key: 'location', value: options.externalDataFile },
          { key: 'offset', value: String(offset) },
          { key: 'length', value: String(init.bytes.length) },
        ],
      };
      chunks.push(init.bytes);
      offset += init.bytes.length;
      return entry;
    });
    const model = onnx.ModelProto.create({
      irVersion: 8,
      producerName: options.producer ?? 'camtrack-studio',
      opsetImport: [{ domain: '', version: this.opset }],
      graph: { name: this.name, input: this.inputs, output: this.outputs, node: this.nodes, initializer },
    });
    const bytes = onnx.ModelProto.encode(model).finish();
    const result: SerializedModel = { model: bytes };
    if (chunks.length && options.externalDataFile)
      result.externalData = { file: options.externalDataFile, bytes: concat(chunks, offset) };
    return result;
  }

  private claim(name: string): void {
    if (this.names.has(name)) throw new Error(`value name ${name} is used twice`);
    this.names.add(name);
  }
}

function valueInfo(name: string, type: ElemType, dims: Dim[]): OnnxTypes.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: DATA_TYPE[type],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, a: Attr): OnnxTypes.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.kind) {
    case 'int':
      return { name, type: T.INT, i: a.value };
    case 'ints':
      return { name, type: T.INTS, ints: a.value };
    case 'float':
      return { name, type: T.FLOAT, f: a.value };
    case 'floats':
      return { name, type: T.FLOATS, floats: a.value };
    case 'string':
      return { name, type: T.STRING, s: new TextEncoder().encode(a.value) };
  }
}

/** Little-endian raw bytes, the layout ONNX's raw_data uses. */
function encode(type: ElemType, data: ArrayLike<number> | ArrayLike<bigint>): Uint8Array {
  switch (type) {
    case 'float32': {
      const a = Float32Array.from(data as ArrayLike<number>);
      return new Uint8Array(a.buffer);
    }
    case 'float16': {
      const a = toFloat16(data as ArrayLike<number>);
      return new Uint8Array(a.buffer);
    }
    case 'int64': {
      const a = new BigInt64Array(data.length);
      for (let i = 0; i < data.length; i++) a[i] = BigInt(data[i]);
      return new Uint8Array(a.buffer);
    }
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
