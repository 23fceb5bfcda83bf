/**
 * The camera track engine: one module shared by the renderer, the CLI and the studio UI, so what
 * the 3D view shows is exactly what the render uses. Pure (no node:* imports; three.js math only).
 *
 * Conventions (../geometry/conventions.ts, a floor below: image, warp and the kernels use them too): poses are camera-to-world 4x4, row-major, GL camera axes (-Z
 * forward, +Y up), world +Y up; a THREE.PerspectiveCamera's matrixWorld is such a pose. Pixels use
 * a pinhole K with OpenCV axes. Frame 0 is the source photo: identity pose, the photo's intrinsics.
 *
 * Typical UI flow:
 *   const source = fitIntrinsics(sourceIntrinsics(img.w, img.h, { focalLength35mm }), W, H, 'crop');
 *   const track = presetTrack({ kind: 'orbit', degreesPerFrame: 1 }, { numFrames: 25, fps: 7,
 *     sourceFovY: fovYFromFocal(source.fy, source.height), targetDepth: medianDepth });
 *   const ev = createTrackEvaluator(track, source);      // once per edit
 *   applyFrameCamera(threeCamera, ev.at(frame));          // look-through preview
 *   ev.sample(f / 8) for f in 0..8 * (numFrames - 1)      // curve points
 *   frustumCorners(ev.at(f), 0.2)                         // per-frame frustums
 *   insertKeyAt / deleteKeys / moveKey / shiftKeys / updateKey / copyKeys / pasteKeys /
 *   setNumFrames / setKeyOrientationKind                  // timeline edits: new Track each time
 *   checkFrameCount(track.numFrames, manifest.frameCounts) // flag before rendering
 *   stringifyCameraPath(exportCameraPath(track, source)) / importCameraPath(text, { width, height })
 *   stringifyTrack(track) / parseTrack(text)
 */
export * from '../geometry/conventions';
export {
  lookAtRotation,
  lookAtPose,
  poseFromPositionQuaternion,
  positionQuaternionFromPose,
  rigidPoseProblem,
  WORLD_UP,
} from './pose';
export {
  DEFAULT_FOV_X_DEG,
  sourceIntrinsics,
  fitIntrinsics,
  focalFromFovY,
  fovYFromFocal,
  perspectiveFromIntrinsics,
  intrinsicsFromPerspective,
  type SourceIntrinsicsOptions,
} from './intrinsics';
export { poseToMatrix4, matrix4ToPose, projectionMatrixFromIntrinsics, applyFrameCamera } from './three-bridge';
export { unprojectPixel, frustumCorners } from './frustum';
export { slerp, squad, quatAngle, mat3ToQuat, quatToMat3, type Vec3, type Quat } from './math';
export { normalizeKeyframes, validateTrack, ease, newKeyId } from './keyframes';
export {
  evaluateTrack,
  createTrackEvaluator,
  type TrackEvaluator,
  type TrackSample,
  type EvaluatedKey,
} from './evaluate';
export {
  presetTrack,
  PRESET_KINDS,
  MAX_KEY_DEGREES,
  type PresetSpec,
  type PresetKind,
  type PresetContext,
  type OrbitDirection,
} from './presets';
export {
  insertKeyAt,
  deleteKeys,
  moveKey,
  shiftKeys,
  updateKey,
  setKeyOrientationKind,
  copyKeys,
  pasteKeys,
  setNumFrames,
  type KeyClipboard,
  type KeyPatch,
} from './edit';
export { checkFrameCount, SVD_FRAME_COUNTS } from './frame-count';
export {
  exportCameraPath,
  cameraPathFromFrames,
  stringifyCameraPath,
  parseCameraPath,
  parseCameraPathFile,
  importCameraPath,
  DEFAULT_IMPORT_FPS,
  type NerfstudioCameraPath,
  type NerfstudioCamera,
  type ParsedCameraPath,
  type ParseCameraPathOptions,
} from './nerfstudio';
export { stringifyTrack, parseTrack, TRACK_FILE_FORMAT, TRACK_FILE_VERSION } from './track-json';
