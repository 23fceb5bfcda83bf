/**
 * Minimal baseline TIFF files for tests (little-endian, one uncompressed strip, one sample per
 * pixel unless `samples` says more): what depth tools write, small enough to build by hand.
 */
export interface TiffSpec {
  width: number;
  height: number;
  /** 'f32' float samples, 'u16' or 'u8' unsigned. */
  type: 'f32' | 'u16' | 'u8';
  /** Sample values, row-major (samples * width * height of them); missing ones are 0. */
  values?: ArrayLike<number>;
  samples?: 1 | 3;
  /** Bytes of pixel data actually written (default all): fewer makes a header-only or cut-off file. */
  dataBytes?: number;
}

export function makeTiff(spec: TiffSpec): Buffer {
  const samples = spec.samples ?? 1;
  const bytesPer = spec.type === 'f32' ? 4 : spec.type === 'u16' ? 2 : 1;
  const full = spec.width * spec.height * samples * bytesPer;
  const data = Buffer.alloc(Math.min(full, spec.dataBytes ?? full));
  const vals = spec.values ?? [];
  for (let i = 0; i < vals.length && (i + 1) * bytesPer <= data.length; i++) {
    if (spec.type === 'f32') data.writeFloatLE(vals[i], i * 4);
    else if (spec.type === 'u16') data.writeUInt16LE(vals[i], i * 2);
    else data.writeUInt8(vals[i], i);
  }
  const bits = bytesPer * 8;
  // [tag, type (3 SHORT, 4 LONG), value]
  const tags: [number, number, number][] = [
    [256, 4, spec.width],
    [257, 4, spec.height],
    [258, 3, bits],
    [259, 3, 1], // no compression
    [262, 3, samples === 3 ? 2 : 1], // RGB or BlackIsZero
    [273, 4, 0], // strip offset, set below
    [277, 3, samples],
    [278, 4, spec.height],
    [279, 4, Math.min(full, 0xffffffff)], // (a header-only test file may claim more than 4 GB)
    [284, 3, 1], // chunky
    [339, 3, spec.type === 'f32' ? 3 : 1], // IEEE float or unsigned
  ];
  const ifd = 8;
  const dataAt = ifd + 2 + tags.length * 12 + 4;
  const out = Buffer.alloc(dataAt + data.length);
  out.write('II', 0, 'latin1');
  out.writeUInt16LE(42, 2);
  out.writeUInt32LE(ifd, 4);
  out.writeUInt16LE(tags.length, ifd);
  tags.forEach(([tag, type, value], i) => {
    const o = ifd + 2 + i * 12;
    out.writeUInt16LE(tag, o);
    out.writeUInt16LE(type, o + 2);
    out.writeUInt32LE(1, o + 4);
    const v = tag === 273 ? dataAt : value;
    if (type === 3) out.writeUInt16LE(v, o + 8);
    else out.writeUInt32LE(v, o + 8);
  });
  data.copy(out, dataAt);
  return out;
}
