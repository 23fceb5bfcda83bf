/**
 * How alike two RGB24 frames look: the mean SSIM (Wang et al. 2004) of their luma over 8x8
 * blocks (non-overlapping, constants for 8-bit values). 1 for identical frames; a camera move of
 * a few degrees brings it well below 0.9. Used to check that a preview really moves.
 */
export function frameSimilarity(a: Uint8Array, b: Uint8Array, width: number, height: number): number {
  if (a.length !== width * height * 3 || b.length !== a.length)
    throw new Error(`similarity: frames must both be ${width}x${height} RGB24`);
  const C1 = (0.01 * 255) ** 2,
    C2 = (0.03 * 255) ** 2;
  const luma = (f: Uint8Array, i: number) => 0.299 * f[i * 3] + 0.587 * f[i * 3 + 1] + 0.114 * f[i * 3 + 2];
  let sum = 0,
    blocks = 0;
  for (let by = 0; by + 8 <= height; by += 8) {
    for (let bx = 0; bx + 8 <= width; bx += 8) {
      let ma = 0,
        mb = 0,
        va = 0,
        vb = 0,
        cov = 0;
      for (let y = by; y < by + 8; y++)
        for (let x = bx; x < bx + 8; x++) {
          const i = y * width + x;
          const la = luma(a, i),
            lb = luma(b, i);
          ma += la;
          mb += lb;
          va += la * la;
          vb += lb * lb;
          cov += la * lb;
        }
      ma /= 64;
      mb /= 64;
      va = va / 64 - ma * ma;
      vb = vb / 64 - mb * mb;
      cov = cov / 64 - ma * mb;
      sum += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
      blocks++;
    }
  }
  return blocks ? sum / blocks : 1;
}
