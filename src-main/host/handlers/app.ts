import type { Handlers } from '../context';
import { appVersion } from '../../engine/util/appRoot';
import path from 'node:path';
import { availableProviders, createSession, type ProviderName } from '../../engine/models/providers';
import { resolveFfmpeg } from '../../engine/video/resolve-ffmpeg';
import { builtinDraftModelDir, readManifest } from '../../engine/models/modelFolder';
import { isPreviewModel } from '../../engine/preview/kind';
import { modelsStatus } from './modelsStatus';
import { toErrorInfo } from '../../engine/util/errors';

/**
 * What 'auto' really gets here: a provider can be built in yet unusable (WebGPU with no adapter),
 * so the host opens the draft model's smallest session once, the way a render would, and keeps
 * the answer.
 */
let probed: Promise<{ chosen: ProviderName; reason?: string }> | undefined;
function probeAutoProvider(): Promise<{ chosen: ProviderName; reason?: string }> {
  probed ??= createSession(path.join(builtinDraftModelDir(), 'vae_decoder.onnx'), 'auto').then(
    async ({ session, provider, fallback }) => {
      await session.release();
      return { chosen: provider, reason: fallback?.reason };
    },
    (e: unknown) => ({ chosen: 'cpu', reason: toErrorInfo(e).message }),
  );
  return probed;
}

export const appHandlers: Handlers = {
  async 'app.info'(_input, ctx) {
    const providers = availableProviders();
    const auto = await probeAutoProvider();
    const ffmpeg = await resolveFfmpeg().then(
      (f) => ({ path: f.path, source: f.source, version: f.version }),
      (e: unknown) => ({ error: toErrorInfo(e).message }),
    );
    return {
      version: appVersion(),
      mode: ctx.config.mode,
      platform: `${process.platform}-${process.arch}`,
      providers: {
        available: providers.filter((p) => p.available).map((p) => p.name),
        chosen: auto.chosen,
        reason:
          auto.chosen === 'cpu'
            ? `No GPU execution provider is usable here${auto.reason ? `: ${auto.reason}` : ''}.`
            : auto.reason,
      },
      ffmpeg,
      workspace: ctx.config.workspace,
    };
  },

  async 'model.info'(input, ctx) {
    // The preview render kind: no model at all, any frame count, any even size.
    if (isPreviewModel(input.model))
      return {
        name: 'Preview (warp + fill, no model)',
        family: 'preview',
        isDraft: false,
        isPreview: true,
        frameCounts: 'any',
        size: { width: 1024, height: 576 },
        dtype: 'float32',
      };
    const dir = input.model === 'draft' ? builtinDraftModelDir() : ctx.guard.check(input.model);
    const m = await readManifest(dir);
    return {
      name: m.name,
      family: m.family,
      isDraft: m.family === 'draft',
      isPreview: false,
      frameCounts: m.frameCounts,
      size: m.size,
      dtype: m.dtype,
      conditioning: m.conditioning,
    };
  },
};

export const modelsHandlers: Handlers = {
  'models.status': () => modelsStatus(),
};
