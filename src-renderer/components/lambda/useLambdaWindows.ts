import { useLayoutEffect, useMemo } from 'react';
import type { FrameWindow } from '../../../src-main/engine/windows';
import { useProject } from '../../state/projectStore';
import { useModelInfo } from '../render/useEngineInfo';
import { useLambdaEditor } from './editorStore';
import { lambdaWindows } from './windowsView';
import { working } from './working';

/** The plan for the open project and model; keeps the working table's windows and edit mode in step. */
export function useLambdaWindows(): FrameWindow[] | null {
  const doc = useProject((s) => s.doc);
  const model = useModelInfo(doc?.render.model);
  const mode = useLambdaEditor((s) => s.windowEdit);
  const counts = model.status === 'ok' ? model.info.frameCounts : null;
  const numFrames = doc?.track.numFrames;
  const lambdaFrames = doc?.lambda.frames;
  const wf = doc?.render.windowFrames;
  const wo = doc?.render.windowOverlap;
  // Recomputed only when what decides the plan changes, so the editor's effects see a stable array.
  const key = JSON.stringify([numFrames, lambdaFrames, wf, wo, counts]);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` holds every part of doc and counts the plan reads
  const windows = useMemo(() => lambdaWindows(doc ?? null, counts), [key]);
  useLayoutEffect(() => {
    working.windows = windows;
    working.together = mode === 'together';
  }, [windows, mode]);
  return windows;
}
