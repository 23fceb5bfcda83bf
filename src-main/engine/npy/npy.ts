import { CamtrackError } from '../util/errors';
import { decodeFloat16 } from './float16';

/**
 * NumPy `.npy` files, in memory (Uint8Array in and out; no file system, so the browser UI can use
 * it too). Reads format versions 1.0, 2.0 and 3.0, little- and big-endian float16/32/64 in C
 * order; anything else is refused with a CamtrackError that names the problem. Writes version 1.0
 * '<f4' or '<f8' with numpy's exact header layout (see `npyHeader`).
 */
export type NpyDtype = '<f2' | '>f2' | '<f4' | '>f4' | '<f8' | '>f8';

export interface NpyArray {
  dtype: NpyDtype;
  /** C-order shape; [] for a 0-d array (one value). */
  shape: number[];
  /** The values; float16 is widened to Float32Array (exactly). */
  data: Float32Array | Float64Array;
  littleEndian: boolean;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const ARRAY_ALIGN = 64;
const GROWTH_AXIS_MAX_DIGITS = 21;
const DTYPES: readonly string[] = ['<f2', '>f2', '<f4', '>f4', '<f8', '>f8'];

/**
 * Bounds that no real array comes near: numpy itself refuses headers over 10,000 bytes unless told
 * otherwise, and has at most 64 dimensions. An element count above 2^32 cannot be held anyway.
 */
export const NPY_MAX_HEADER_BYTES = 65_536;
export const NPY_MAX_DIMS = 64;
export const NPY_MAX_ELEMENTS = 2 ** 32;

/** Parses a .npy file. `name` is used in messages (a file name, or a description). */
export function readNpy(bytes: Uint8Array, name = 'the .npy file'): NpyArray {
  const raw = readNpyLayout(bytes, name, (descr) => {
    if (!DTYPES.includes(descr))
      throw new CamtrackError(
        'bad-file',
        `${name} holds dtype '${descr}'; only float16, float32 and float64 arrays are supported ('<f2', '<f4', '<f8' or big-endian '>').`,
      );
    return Number(descr[2]);
  });
  const dtype = raw.descr as NpyDtype;
  const littleEndian = dtype[0] === '<';
  const data = decode(raw.view, raw.dataStart, raw.count, raw.itemSize, littleEndian);
  return { dtype, shape: raw.shape, data, littleEndian };
}

/** Integer and boolean dtypes `readNpyNumbers` reads besides the floats (numpy's own spelling). */
export type NpyIntDtype = '|u1' | '|b1' | '<i8' | '<i4';
const INT_ITEM: Readonly<Record<NpyIntDtype, number>> = { '|u1': 1, '|b1': 1, '<i8': 8, '<i4': 4 };

export interface NpyNumbers {
  dtype: NpyDtype | NpyIntDtype;
  shape: number[];
  /** uint8 and bool as Uint8Array (0/1 for bool), int32/int64 as Float64Array (exact up to 2^53), floats as readNpy. */
  data: Float32Array | Float64Array | Uint8Array;
}

/**
 * Like readNpy, and also uint8, bool, int32 and int64 arrays (as reference outputs store masks and
 * frame numbers). An int64 beyond 2^53 cannot be held exactly as a number and is refused.
 */
export function readNpyNumbers(bytes: Uint8Array, name = 'the .npy file'): NpyNumbers {
  const raw = readNpyLayout(bytes, name, (descr) => {
    if (DTYPES.includes(descr)) return Number(descr[2]);
    if (descr in INT_ITEM) return INT_ITEM[descr as NpyIntDtype];
    throw new CamtrackError(
      'bad-file',
      `${name} holds dtype '${descr}'; floats ('<f2', '<f4', '<f8'), '|u1', '|b1', '<i4' and '<i8' are supported.`,
    );
  });
  const { view, dataStart, count } = raw;
  if (DTYPES.includes(raw.descr)) {
    const dtype = raw.descr as NpyDtype;
    return { dtype, shape: raw.shape, data: decode(view, dataStart, count, raw.itemSize, dtype[0] === '<') };
  }
  const dtype = raw.descr as NpyIntDtype;
  if (raw.itemSize === 1) {
    const data = new Uint8Array(view.buffer, view.byteOffset + dataStart, count).slice();
    if (dtype === '|b1') for (let i = 0; i < count; i++) data[i] = data[i] !== 0 ? 1 : 0;
    return { dtype, shape: raw.shape, data };
  }
  const data = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    if (raw.itemSize === 4) data[i] = view.getInt32(dataStart + 4 * i, true);
    else {
      const v = view.getBigInt64(dataStart + 8 * i, true);
      if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER))
        throw new CamtrackError('bad-file', `${name} holds the int64 ${v}, beyond what a number holds exactly (2^53).`);
      data[i] = Number(v);
    }
  }
  return { dtype, shape: raw.shape, data };
}

interface NpyLayout {
  descr: string;
  shape: number[];
  view: DataView;
  dataStart: number;
  count: number;
  itemSize: number;
}

/** The header checks every reader shares; `itemSizeOf` accepts a dtype (returning its size) or throws. */
function readNpyLayout(bytes: Uint8Array, name: string, itemSizeOf: (descr: string) => number): NpyLayout {
  const bad = (what: string) => new CamtrackError('bad-file', `${name} is not a readable .npy file: ${what}.`);
  if (bytes.length < 6) throw bad(`it is only ${bytes.length} bytes long`);
  if (MAGIC.some((m, i) => bytes[i] !== m)) throw bad('it does not start with the NumPy magic "\\x93NUMPY"');
  if (bytes.length < 8) throw bad('the file is truncated inside its version');
  const major = bytes[6];
  const minor = bytes[7];
  if (minor !== 0 || major < 1 || major > 3)
    throw bad(`format version ${major}.${minor} is not supported (1.0, 2.0 and 3.0 are)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  const prefix = 8 + lenBytes;
  if (bytes.length < prefix) throw bad('the file is truncated inside its header length');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLen > NPY_MAX_HEADER_BYTES)
    throw bad(
      `its header is ${headerLen} bytes long; a .npy header of a plain array is a few hundred (at most ${NPY_MAX_HEADER_BYTES} are read)`,
    );
  const dataStart = prefix + headerLen;
  if (bytes.length < dataStart)
    throw bad(`the file is truncated: its header says ${headerLen} bytes but only ${bytes.length - prefix} follow`);
  const headerBytes = bytes.subarray(prefix, dataStart);
  const header = major === 3 ? new TextDecoder('utf-8').decode(headerBytes) : latin1(headerBytes);
  const dict = parseHeader(header, bad);

  const descr = dict.descr;
  if (typeof descr !== 'string') throw bad(`the header's 'descr' is ${describe(descr)}, not a simple dtype`);
  const itemSize = itemSizeOf(descr);
  if (typeof dict.fortran_order !== 'boolean') throw bad("the header's 'fortran_order' is not True or False");
  if (dict.fortran_order) {
    throw new CamtrackError(
      'bad-file',
      `${name} is stored in Fortran (column-major) order; save it in C order (numpy.ascontiguousarray) and try again.`,
    );
  }
  const shape = dict.shape;
  if (!Array.isArray(shape)) throw bad(`the header's 'shape' is ${describe(shape)}, not a tuple`);
  if (shape.length > NPY_MAX_DIMS) throw bad(`its shape has ${shape.length} dimensions (at most ${NPY_MAX_DIMS})`);
  // Every axis is checked, not only the product: a zero-sized axis beside a huge one is refused too.
  for (const d of shape) {
    if (d > NPY_MAX_ELEMENTS)
      throw bad(`its shape (${shape.join(', ')}) has an axis of ${d} elements, beyond what a file can hold`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count > NPY_MAX_ELEMENTS)
    throw bad(`its shape (${shape.join(', ')}) holds ${count} elements, beyond what a file can hold`);
  const need = count * itemSize;
  const have = bytes.length - dataStart;
  if (have < need) {
    throw new CamtrackError(
      'bad-file',
      `${name} is truncated: shape (${shape.join(', ')}) of ${descr} needs ${need} bytes of data, the file has ${have}.`,
    );
  }
  if (have > need) {
    throw new CamtrackError(
      'bad-file',
      `${name} does not fit its shape: shape (${shape.join(', ')}) of ${descr} needs ${need} bytes of data, the file has ${have}.`,
    );
  }
  return { descr, shape, view, dataStart, count, itemSize };
}

function decode(
  view: DataView,
  start: number,
  count: number,
  itemSize: number,
  le: boolean,
): Float32Array | Float64Array {
  if (itemSize === 2) {
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = decodeFloat16(view.getUint16(start + 2 * i, le));
    return out;
  }
  const absolute = view.byteOffset + start;
  if (itemSize === 4) {
    // Little-endian and aligned (numpy aligns data to 64 bytes): one copy, no per-value calls.
    if (le && absolute % 4 === 0) return new Float32Array(view.buffer.slice(absolute, absolute + 4 * count));
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(start + 4 * i, le);
    return out;
  }
  if (le && absolute % 8 === 0) return new Float64Array(view.buffer.slice(absolute, absolute + 8 * count));
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = view.getFloat64(start + 8 * i, le);
  return out;
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]);
  return s;
}

type HeaderValue = string | boolean | number[] | undefined;

function describe(v: unknown): string {
  return v === undefined ? 'missing' : JSON.stringify(v);
}

/**
 * Parses the header, a Python dict literal such as
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`. Only the three keys numpy writes
 * are understood; values are strings, True/False or tuples of integers (Python 2's `3L` included).
 */
const DIM = /(\d{1,30})L?/y;

function parseHeader(text: string, bad: (what: string) => CamtrackError): Record<string, HeaderValue> {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const expect = (c: string) => {
    ws();
    if (text[i] !== c) throw bad(`its header is not a Python dict (expected '${c}' at character ${i})`);
    i++;
  };
  const str = (): string => {
    ws();
    const q = text[i];
    if (q !== "'" && q !== '"')
      throw bad(`its header is not a Python dict (expected a quoted string at character ${i})`);
    const end = text.indexOf(q, i + 1);
    if (end < 0) throw bad('its header has an unterminated string');
    const s = text.slice(i + 1, end);
    i = end + 1;
    return s;
  };
  const value = (): HeaderValue => {
    ws();
    const c = text[i];
    if (c === "'" || c === '"') return str();
    if (text.startsWith('True', i)) {
      i += 4;
      return true;
    }
    if (text.startsWith('False', i)) {
      i += 5;
      return false;
    }
    if (c === '(') {
      i++;
      const dims: number[] = [];
      for (;;) {
        ws();
        if (text[i] === ')') {
          i++;
          return dims;
        }
        // A sticky regex reads at i without copying the rest of the header: linear in its length.
        DIM.lastIndex = i;
        const m = DIM.exec(text);
        if (!m) throw bad(`its header's shape is not a tuple of non-negative integers (at character ${i})`);
        if (dims.length >= NPY_MAX_DIMS) throw bad(`its shape has more than ${NPY_MAX_DIMS} dimensions`);
        dims.push(Number(m[1]));
        i += m[0].length;
        ws();
        if (text[i] === ',') i++;
        else if (text[i] !== ')') throw bad(`its header's shape is malformed (at character ${i})`);
      }
    }
    throw bad(
      `its header has a value this reader does not understand (at character ${i}); only simple float arrays are supported`,
    );
  };
  const out: Record<string, HeaderValue> = {};
  expect('{');
  for (;;) {
    ws();
    if (text[i] === '}') break;
    const key = str();
    expect(':');
    out[key] = value();
    ws();
    if (text[i] === ',') i++;
    else if (text[i] !== '}') throw bad(`its header is not a Python dict (expected ',' or '}' at character ${i})`);
  }
  return out;
}

/** numpy's header for a C-order array: sorted keys, growth padding, 64-byte alignment, newline. */
export function npyHeader(dtype: NpyDtype, shape: readonly number[]): Uint8Array {
  const shapeRepr = shape.length === 0 ? '()' : shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${dtype}', 'fortran_order': False, 'shape': ${shapeRepr}, }`;
  // numpy leaves room for the first axis to grow to 21 digits, so the header can be rewritten in place.
  if (shape.length > 0) dict += ' '.repeat(GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length);
  const hlen = dict.length + 1; // + the final newline
  const padlen = ARRAY_ALIGN - ((MAGIC.length + 2 + 2 + hlen) % ARRAY_ALIGN);
  const total = 10 + hlen + padlen;
  if (total - 10 > 0xffff)
    throw new CamtrackError('bad-input', `A .npy header for shape (${shape.join(', ')}) is too long for format 1.0.`);
  const out = new Uint8Array(total).fill(0x20);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, total - 10, true);
  for (let k = 0; k < dict.length; k++) out[10 + k] = dict.charCodeAt(k);
  out[total - 1] = 0x0a;
  return out;
}

/**
 * Writes a version 1.0 .npy file: Float32Array as '<f4', Float64Array as '<f8', in C order.
 * The bytes equal what `numpy.save` writes for the same array.
 */
export function writeNpy(data: Float32Array | Float64Array, shape: readonly number[]): Uint8Array {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0)
      throw new CamtrackError(
        'bad-input',
        `A .npy shape needs non-negative integer sizes (got (${shape.join(', ')})).`,
      );
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new CamtrackError(
      'shape-mismatch',
      `Cannot write ${data.length} values as a .npy array of shape (${shape.join(', ')}), which holds ${count}.`,
    );
  }
  const f64 = data instanceof Float64Array;
  const header = npyHeader(f64 ? '<f8' : '<f4', shape);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header, 0);
  const view = new DataView(out.buffer);
  const base = header.length;
  // DataView with explicit little-endian: correct on any host byte order.
  if (f64) for (let i = 0; i < data.length; i++) view.setFloat64(base + 8 * i, data[i], true);
  else for (let i = 0; i < data.length; i++) view.setFloat32(base + 4 * i, data[i], true);
  return out;
}
