import { describe, expect, it } from 'vitest';
import { createProject } from '../../../src-main/engine/project/create';
import { renderIntrinsics } from '../../../src-main/engine/render/inputs';
import { renderSourceIntrinsics } from './docCamera';

describe("the 3D view's source camera", () => {
  it("is exactly the render's frame-0 camera, for crop and pad and any photo size", () => {
    const base = createProject('t');
    for (const [w, h] of [
      [1920, 1080],
      [1600, 1200],
      [1080, 1920],
      [1024, 576],
    ]) {
      for (const fit of ['crop', 'pad'] as const) {
        const doc = {
          ...base,
          image: {
            asset: { file: 'image-0000000000000000.png', sha256: '0'.repeat(64) },
            originalName: 'p.png',
            width: w,
            height: h,
          },
          render: { ...base.render, fit },
        };
        expect(renderSourceIntrinsics(doc)).toEqual(renderIntrinsics(doc).intrinsics);
      }
    }
  });
});
