import type { RenderSettings } from '../../project/schema';
import {
  discardStaged,
  exportFrames,
  tempPathBeside,
  thumbnailPathFor,
  writeThumbnail,
  type ExportResult,
  type StagedFile,
} from '../../video';
import type { StageProgress } from '../clock';

/** The constant rate factor the settings give, for the formats that have one. */
export function crfOf(settings: Pick<RenderSettings, 'format' | 'crf'>): number | undefined {
  return settings.format === 'mp4' || settings.format === 'webm' ? settings.crf : undefined;
}

/**
 * Stage 8, export: the RGB24 frames piped to ffmpeg (or written as PNGs) into a temporary beside
 * the output, left there for the render to commit with its thumbnail and sidecar as one group
 * (video/commit.ts); `signal` kills ffmpeg.
 */
export async function exportVideo(o: {
  settings: Pick<RenderSettings, 'format' | 'crf' | 'width' | 'height'>;
  fps: number;
  frames: Uint8Array[];
  out: string;
  signal?: AbortSignal;
  progress: StageProgress;
}): Promise<{ video: ExportResult; staged: StagedFile }> {
  const video = await exportFrames({
    format: o.settings.format,
    width: o.settings.width,
    height: o.settings.height,
    fps: o.fps,
    crf: crfOf(o.settings),
    frames: o.frames,
    count: o.frames.length,
    out: o.out,
    signal: o.signal,
    stage: true,
    onProgress: (p) => o.progress('export', p.fraction),
  });
  return { video, staged: { tmp: video.staged!, target: video.out } };
}

/** The thumbnail beside the output (the middle frame), staged to be committed with it. */
export async function stageThumbnail(
  out: string,
  frames: Uint8Array[],
  size: { width: number; height: number },
): Promise<StagedFile> {
  const target = thumbnailPathFor(out);
  const staged: StagedFile = { tmp: tempPathBeside(target), target };
  try {
    await writeThumbnail({ rgb: frames[Math.floor(frames.length / 2)], ...size, out: staged.tmp });
  } catch (e) {
    await discardStaged([staged]);
    throw e;
  }
  return staged;
}
