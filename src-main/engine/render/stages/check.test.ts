import { describe, expect, it } from 'vitest';
import { createProject } from '../../project/create';
import type { ProjectDoc } from '../../project/schema';
import { checkInputs } from './check';

/** Stage 1's notes about the camera: a track of one key renders the photo still, and says so. */
describe('render stage 1, check inputs', () => {
  const still = createProject('still', { numFrames: 14 });
  const key = still.track.keyframes[0];
  const moving: ProjectDoc = {
    ...still,
    track: { ...still.track, keyframes: [key, { ...key, id: 'k2', frame: 13, position: [0, 0, -1] }] },
  };
  const notesOf = (doc: ProjectDoc) => checkInputs({ projectDir: '/tmp/p', doc }).notes.join(' ');

  it('says when the camera does not move, and how to give it a move', () => {
    expect(still.track.keyframes).toHaveLength(1);
    expect(notesOf(still)).toMatch(/The camera does not move: the track has one key.*camtrack track preset orbit/);
    expect(notesOf(moving)).not.toMatch(/does not move/);
  });

  it('says nothing of a still camera for a video: a locked-off shot of a moving scene is one', () => {
    // Only the presence of a video matters to this note (the video itself is checked when it loads).
    const video = { ...still, video: {} } as unknown as ProjectDoc;
    expect(notesOf(video)).not.toMatch(/does not move/);
  });
});
