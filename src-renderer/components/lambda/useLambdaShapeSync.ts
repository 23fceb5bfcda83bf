import { useEffect } from 'react';
import type { ProjectDoc } from '../../../src-main/engine/project/schema';
import { useProject } from '../../state/projectStore';
import { useUi } from '../../state/uiStore';
import { reshapeLambda } from './presets';
import { setLambdaDocWithPreviousStep } from './working';

/** Keeps the lambda table's shape equal to the render's steps and the track's frame count. */
export function reshapeIfNeeded(doc: ProjectDoc | null): void {
  if (!doc) return;
  const steps = doc.render.steps;
  const frames = doc.track.numFrames;
  if (doc.lambda.steps === steps && doc.lambda.frames === frames) return;
  try {
    const r = reshapeLambda(doc.lambda, steps, frames);
    if (!r) return;
    setLambdaDocWithPreviousStep(r.lambda);
    useUi.getState().toast('info', r.message);
  } catch (e) {
    useUi
      .getState()
      .toast(
        'error',
        `The lambda table could not follow the new shape (${steps} steps × ${frames} frames): ${(e as Error).message}`,
      );
  }
}

/** Watches doc.render.steps and doc.track.numFrames; mounted by the lambda editor. */
export function useLambdaShapeSync(): void {
  useEffect(() => {
    reshapeIfNeeded(useProject.getState().doc);
    return useProject.subscribe((s, prev) => {
      if (s.doc !== prev.doc) reshapeIfNeeded(s.doc);
    });
  }, []);
}
