import fc from 'fast-check';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkAll, checkBytesScaling, judge, mutatedBytes, show } from '../../test/fuzz';
import { writeNpy } from '../npy/npy';
import { MAX_DEPTH_PIXELS } from './limits';
import { parsePfm, writePfm } from './pfm';
import { decodeDepth } from './read';
import { makeTiff } from '../../test/tiff';
import type { RawDepth } from './types';

/** Property-based tests of the depth readers (issue 12): PFM, PNG, TIFF and .npy, mutated and random. */
function accept(d: RawDepth): void {
  expect(Number.isInteger(d.width) && d.width >= 1).toBe(true);
  expect(Number.isInteger(d.height) && d.height >= 1).toBe(true);
  expect(d.width * d.height).toBeLessThanOrEqual(MAX_DEPTH_PIXELS);
  expect(d.values.length).toBe(d.width * d.height);
  expect(d.origin.length).toBeGreaterThan(0);
}

const grid = (w: number, h: number) => Float32Array.from({ length: w * h }, (_, i) => 0.5 + i * 0.25);

describe('depth readers, property-based', () => {
  let pngs: Uint8Array[];
  beforeAll(async () => {
    const g16 = Buffer.from(Uint16Array.from({ length: 12 }, (_, i) => i * 5000).buffer);
    pngs = [
      new Uint8Array(
        await sharp(g16, { raw: { width: 4, height: 3, channels: 1 } })
          .toColourspace('grey16')
          .png()
          .toBuffer(),
      ),
      new Uint8Array(
        await sharp(Buffer.from([0, 40, 80, 120, 160, 200]), { raw: { width: 3, height: 2, channels: 1 } })
          .png()
          .toBuffer(),
      ),
    ];
  });

  it('PFM: parses or refuses every mutated or random file clearly, each within a second', async () => {
    const seeds = [writePfm(3, 2, grid(3, 2)), writePfm(1, 1, grid(1, 1))];
    // A big-endian colour PF as well (the reader takes its first channel).
    const pf = new Uint8Array([...new TextEncoder().encode('PF\n2 1\n1.0\n'), ...new Uint8Array(24).fill(0x3f)]);
    await checkAll(mutatedBytes([...seeds, pf]), async (bytes) =>
      judge(
        () => parsePfm(bytes, 'x.pfm'),
        { accept },
        () => show(bytes),
      ),
    );
  });

  it('PFM: files up to 2 MiB parse or are refused clearly, in time linear in their size', async () => {
    await checkBytesScaling(
      [writePfm(3, 2, grid(3, 2)), writePfm(1, 1, grid(1, 1))],
      (bytes) => parsePfm(bytes, 'x.pfm'),
      { accept },
      ['1', '9', ' ', '\n', '-', '.', 'e', '\t', '#', '\u0000', '\u003f'],
    );
  });

  it('PNG: decodes or refuses every mutated file clearly, each within a second', async () => {
    await checkAll(
      mutatedBytes(pngs, 3),
      (bytes) =>
        judge(
          () => decodeDepth(bytes, 'x.png'),
          { accept },
          () => show(bytes),
        ),
      { numRuns: 150 },
    );
  });

  it('TIFF: decodes or refuses every mutated file clearly, each within a second', async () => {
    const seeds = [
      makeTiff({ width: 3, height: 2, type: 'f32', values: grid(3, 2) }),
      makeTiff({ width: 2, height: 2, type: 'u16', values: [1, 2, 3, 4] }),
    ];
    await checkAll(
      mutatedBytes(seeds, 3),
      (bytes) =>
        judge(
          () => decodeDepth(bytes, 'x.tif'),
          { accept },
          () => show(bytes),
        ),
      { numRuns: 150 },
    );
  });

  it('TIFF: any size in the header is refused above 100 MP, before decoding', async () => {
    const size = fc.tuple(
      fc.integer({ min: 1, max: 2 ** 20 }),
      fc.integer({ min: 1, max: 2 ** 20 }),
      fc.constantFrom('f32' as const, 'u16' as const),
    );
    await checkAll(
      size,
      ([width, height, type]) =>
        judge(
          () => decodeDepth(makeTiff({ width, height, type, dataBytes: 64 }), 'x.tif'),
          {
            accept: (d) => {
              accept(d);
              expect([d.width, d.height]).toEqual([width, height]);
            },
          },
          () => `${width}x${height} ${type}`,
        ),
      {
        numRuns: 60,
        examples: [[[1, 4, 'u16'] as [number, number, 'u16']], [[20000, 6000, 'f32'] as [number, number, 'f32']]],
      },
    );
  });

  it('.npy depth: parses or refuses every mutated file clearly, each within a second', async () => {
    const seeds = [
      writeNpy(grid(3, 2), [2, 3]),
      writeNpy(grid(2, 2), [1, 2, 2, 1]),
      writeNpy(Float64Array.from(grid(2, 1)), [1, 2]),
    ];
    await checkAll(mutatedBytes(seeds), (bytes) =>
      judge(
        () => decodeDepth(bytes, 'x.npy'),
        { accept },
        () => show(bytes),
      ),
    );
  });
});
