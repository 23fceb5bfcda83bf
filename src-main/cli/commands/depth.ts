import type { Command } from 'commander';
import path from 'node:path';
import { estimateImageDepth } from '../../engine/depth/estimateImage';
import {
  DEPTH_MODEL_SIZES,
  depthModelStatus,
  downloadDepthModel,
  installDepthModelFile,
  type DepthModelSize,
} from '../../engine/depth/models';
import { loadImageFile } from '../../engine/image/load';
import { writeNpyFile } from '../../engine/npy/file';
import { CamtrackError } from '../../engine/util/errors';
import { printJson, progressLine, transferFlags } from '../io';

const mb = (n: number) => (n / 1048576).toFixed(1);

function sizeOf(v: string | undefined): DepthModelSize {
  const s = (v ?? 'small') as DepthModelSize;
  if (!DEPTH_MODEL_SIZES.includes(s))
    throw new CamtrackError('bad-input', `--size must be small, base or large (got "${v}").`);
  return s;
}

/**
 * `camtrack depth estimate|download|install|status`: monocular depth with Depth Anything V2 (ONNX)
 * and the models folder it comes from.
 */
export function registerDepth(program: Command): void {
  const depth = program
    .command('depth')
    .description('estimate depth from a photo (Depth Anything V2, ONNX) and manage the depth models');
  depth
    .command('estimate')
    .description(
      "estimate a depth map (relative disparity, at the model's resolution) for a photo and write it as .npy",
    )
    .requiredOption('--image <file>', 'the photo (PNG, JPEG or WebP)')
    .requiredOption('--out <file>', 'the .npy file to write (float32, height x width)')
    .option('--model <file>', 'a Depth Anything V2 model.onnx (or a folder holding it); default: the installed model')
    .action(async (o: { image: string; out: string; model?: string }) => {
      const t0 = performance.now();
      const photo = await loadImageFile(o.image);
      const r = await estimateImageDepth(photo.image, {
        ...(o.model && { model: path.resolve(o.model) }),
        onProgress: (stage) => progressLine(`depth: ${stage}`),
      });
      await writeNpyFile(o.out, Float32Array.from(r.raw.values), [r.raw.height, r.raw.width]);
      if (process.stderr.isTTY) process.stderr.write('\n');
      printJson({
        out: o.out,
        width: r.raw.width,
        height: r.raw.height,
        holds: 'disparity',
        mapping: r.mapping,
        model: r.modelFile,
        provider: r.provider,
        timingsMs: {
          load: Math.round(r.timings.loadMs),
          estimate: Math.round(r.timings.estimateMs),
          total: Math.round(performance.now() - t0),
        },
      });
    });
  depth
    .command('download')
    .description(
      'download Depth Anything V2 (ONNX) from Hugging Face into the models folder; resumes, records and checks its sha256',
    )
    .option('--size <s>', 'small (about 100 MB, Apache-2.0), base or large (CC-BY-NC-4.0)', 'small')
    .option('--url <url>', 'download from this URL instead (a model.onnx with the same inputs and outputs)')
    .option('--sha256 <hex>', 'the expected sha256: the file is refused when it differs')
    .option('--allow-http', 'accept a plain http --url (a local mirror you trust); https is required otherwise')
    .action(async (o: { size?: string; url?: string; sha256?: string; allowHttp?: boolean }) => {
      const size = sizeOf(o.size);
      const r = await downloadDepthModel(size, {
        ...transferFlags(o),
        ...(o.url && { url: o.url }),
        ...(o.sha256 && { sha256: o.sha256.toLowerCase() }),
        onProgress: (p) =>
          progressLine(
            `depth-anything-v2-${size}: ${p.state} ${mb(p.fileBytes)}${p.fileTotal ? `/${mb(p.fileTotal)}` : ''} MB`,
          ),
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      if (r.verifiedBy === 'load check')
        process.stderr.write(
          `No --sha256 was given: the file was checked by loading it as a depth model, and its sha256 ${r.sha256} is recorded and checked from now on.\n`,
        );
      printJson({ size, file: r.file, sha256: r.sha256, bytes: r.bytes, verifiedBy: r.verifiedBy });
    });
  depth
    .command('install')
    .description(
      'install a Depth Anything V2 model.onnx you already have into the models folder (its sha256 is recorded)',
    )
    .argument('<file>', 'the model.onnx')
    .option('--size <s>', 'which size it is: small, base or large', 'small')
    .action(async (file: string, o: { size?: string }) => {
      printJson({ size: sizeOf(o.size), ...(await installDepthModelFile(path.resolve(file), sizeOf(o.size))) });
    });
  depth
    .command('status')
    .description('which depth models are installed, and what to do when none is')
    .action(async () => {
      for (const s of await depthModelStatus()) printJson(s);
    });
}
