// The layers of the engine, read by .dependency-cruiser.cjs (imports) and eslint.config.js (globals);
// docs/architecture.md draws them.

// The engine's rooms (folders of src-main/engine) by floor, ground first. A room imports rooms on its
// own floor or below, never above. A new room goes on the lowest floor whose rooms it needs (every
// room must be listed: scripts/layers.test.ts checks it).
const FLOORS = [
  ['geometry', 'util', 'npy'],
  ['project', 'camera', 'lambda', 'sampler', 'schedule', 'image'],
  ['models', 'warp', 'depth', 'video', 'kernels', 'scene', 'preview'],
  ['render', 'queue', 'farm', 'sources', 'video-input', 'windows', 'transcode', 'verify'],
];

// The pure modules: the engine modules the studio UI may import and the modules they need, as path
// patterns (regular expressions) from the repository root, one a line. Pure means: runs in a browser
// page as well as in Node (no Node builtins, no Buffer or process, of npm packages only zod and three).
// Add a module here only when it is pure itself.
const PURE = [
  'src-main/api/(contract|wire|csp)\\.ts',
  'src-main/engine/sampler/[^/]+\\.ts',
  'src-main/engine/geometry/conventions\\.ts',
  'src-main/engine/camera/(evaluate|intrinsics|keyframes|math|pose|spline|edit|lens|presets|frame-count|three-bridge|rescale)\\.ts',
  'src-main/engine/depth/(shapes|defaults|mapping|types)\\.ts',
  'src-main/engine/project/(schema|create|parse|migrate)\\.ts',
  'src-main/engine/lambda/(table|search|doc|summary|resample|formats)\\.ts',
  'src-main/engine/windows/(index|plan|lambda|seeds)\\.ts',
  'src-main/engine/schedule/(sigmas|karras)\\.ts',
  'src-main/engine/npy/(npy|float16)\\.ts',
  'src-main/engine/image/fit\\.ts',
  'src-main/engine/preview/kind\\.ts',
  'src-main/engine/queue/model\\.ts',
  'src-main/engine/render/fingerprint\\.ts',
  'src-main/engine/video-input/frames\\.ts',
  'src-main/engine/util/(errors|issues|zod|limits)\\.ts',
];

module.exports = { FLOORS, PURE };
