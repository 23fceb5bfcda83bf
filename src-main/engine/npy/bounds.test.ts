import { describe, expect, it } from 'vitest';
import { refusal } from '../../test/refusal';
import { crc32, deflateSync } from 'node:zlib';
import { CamtrackError } from '../util/errors';
import { decodeDepth } from '../depth/read';
import { parsePfm } from '../depth/pfm';
import { lambdaFromNpy } from '../lambda/formats';
import { NPY_MAX_DIMS, NPY_MAX_HEADER_BYTES, readNpy } from './npy';

/**
 * The reproducers of issue 12, items 4, 5 and 10: each is refused with a clear message well
 * within a second (the test's 2 s limit leaves room for a loaded CI machine; before the fix the
 * first hung and the second took seconds).
 */

/** A version 1.0 .npy file with this header dict and no data. */
export function npyWithHeader(dict: string, major = 1): Uint8Array {
  const body = Buffer.from(`${dict}\n`, 'latin1');
  const lenBytes = major === 1 ? 2 : 4;
  const out = Buffer.alloc(8 + lenBytes + body.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  if (major === 1) out.writeUInt16LE(body.length, 8);
  else out.writeUInt32LE(body.length, 8);
  out.set(body, 8 + lenBytes);
  return out;
}

/** A refusal that comes at once (within 2 s even on a loaded machine), not after a long loop. */
async function refusedQuickly(f: () => unknown): Promise<CamtrackError> {
  const { err, ms } = await refusal(f);
  expect(ms).toBeLessThan(2000);
  return err;
}

describe('npy bounds', () => {
  it('a 128-byte lambda .npy of shape (1e11, 0) is refused at once, not looped over', async () => {
    const bytes = npyWithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000, 0), }");
    expect(bytes.length).toBeLessThan(128);
    const e = await refusedQuickly(() => lambdaFromNpy(bytes, { name: 'lambda.npy' }));
    expect(e.message).toMatch(
      /lambda\.npy is not a readable \.npy file: its shape \(100000000000, 0\) has an axis of 100000000000 elements/,
    );
    // Below that bound, the lambda reader refuses the empty table before looping over its rows.
    const rows = npyWithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (4000000000, 0), }");
    const e1 = await refusedQuickly(() => lambdaFromNpy(rows, { name: 'lambda.npy' }));
    expect(e1.message).toMatch(/lambda\.npy has shape \(4000000000, 0\): it holds no lambda values/);
    // And an axis beyond any file is refused by the reader itself, whatever the others.
    const huge = npyWithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000000, 0), }");
    expect((await refusedQuickly(() => readNpy(huge, 'x.npy'))).message).toMatch(/axis of 100000000000000 elements/);
  });

  it('a header with 200,000 dimensions (400 KB) is refused in milliseconds, not parsed quadratically', async () => {
    const dims = Array.from({ length: 200_000 }, () => '1').join(', ');
    const bytes = npyWithHeader(`{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`, 2);
    expect(bytes.length).toBeGreaterThan(400_000);
    const e = await refusedQuickly(() => decodeDepth(bytes, 'depth.npy'));
    expect(e.message).toMatch(new RegExp(`header is \\d+ bytes long.*at most ${NPY_MAX_HEADER_BYTES}`));
    // Under the header limit, the dimension count is bounded too; parsing stays linear.
    const many = Array.from({ length: 20_000 }, () => '1').join(',');
    const e2 = await refusedQuickly(() =>
      readNpy(npyWithHeader(`{'descr': '<f4', 'fortran_order': False, 'shape': (${many}), }`, 2), 'd.npy'),
    );
    expect(e2.message).toMatch(new RegExp(`more than ${NPY_MAX_DIMS} dimensions`));
  });

  it('64 axes of size 1 around a 2x3 depth map still read (the squeeze is linear)', async () => {
    const ones = Array.from({ length: 30 }, () => '1');
    const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${[...ones, '2', '3', ...ones].join(', ')}), }`;
    const head = npyWithHeader(header);
    const bytes = Buffer.concat([head, Buffer.from(new Float32Array([1, 2, 3, 4, 5, 6]).buffer)]);
    const d = await decodeDepth(bytes, 'd.npy');
    expect(d).toMatchObject({ width: 3, height: 2 });
  });
});

/** A PNG of a 16-bit greyscale width x height image with its header chunk only (no pixels): what a metadata read sees. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([16, 0, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('depth size caps like photos (100 MP)', () => {
  it('a depth PNG above 100 megapixels is refused from its header, before decoding', async () => {
    // 10001 x 10001 greyscale, all zeros: a tiny file that would decode to 100 M pixels.
    const e0 = await refusedQuickly(() => decodeDepth(pngHeaderOnly(10001, 10001), 'big.png'));
    expect(e0.message).toMatch(/big\.png is 10001x10001 \(100\.0 megapixels\), above the limit of 100 megapixels/);
    // The same header at a small size gets past the cap (and fails later, for its missing pixels).
    const e1 = await refusedQuickly(() => decodeDepth(pngHeaderOnly(100, 100), 'small.png'));
    expect(e1.message).not.toMatch(/megapixels/);
    // A PFM header promising 20000 x 20000 is refused before its size is compared with its bytes.
    const pfm = Buffer.from('Pf\n20000 20000\n-1\n', 'latin1');
    const e = await refusedQuickly(() => parsePfm(pfm, 'big.pfm'));
    expect(e.message).toMatch(/big\.pfm is 20000x20000/);
  });
});
