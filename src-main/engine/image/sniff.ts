/** Image and depth container formats, recognised from a file's first bytes (never its name). */
export type SniffedFormat = 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff' | 'bmp' | 'npy' | 'pfm' | 'unknown';

export function sniffFormat(bytes: Uint8Array): SniffedFormat {
  const b = bytes;
  const at = (i: number, ...v: number[]) => v.every((x, k) => b[i + k] === x);
  if (b.length >= 8 && at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (b.length >= 3 && at(0, 0xff, 0xd8, 0xff)) return 'jpeg';
  if (b.length >= 12 && at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'webp';
  if (b.length >= 6 && at(0, 0x47, 0x49, 0x46, 0x38)) return 'gif';
  if (b.length >= 4 && (at(0, 0x49, 0x49, 0x2a, 0x00) || at(0, 0x4d, 0x4d, 0x00, 0x2a))) return 'tiff';
  if (b.length >= 2 && at(0, 0x42, 0x4d)) return 'bmp';
  if (b.length >= 6 && at(0, 0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59)) return 'npy';
  if (
    b.length >= 3 &&
    b[0] === 0x50 &&
    (b[1] === 0x66 || b[1] === 0x46) &&
    (b[2] === 0x0a || b[2] === 0x0d || b[2] === 0x20)
  )
    return 'pfm';
  return 'unknown';
}
