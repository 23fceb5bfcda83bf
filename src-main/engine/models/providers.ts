/**
 * Execution providers: which ones this machine offers, which to try for a user's choice, and
 * session creation that falls back to CPU with the reason returned (so the UI and CLI can show it),
 * never only logged.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { CamtrackError } from '../util/errors';

export const PROVIDERS = ['cuda', 'dml', 'coreml', 'webgpu', 'cpu'] as const;
export type ProviderName = (typeof PROVIDERS)[number];
export type ProviderChoice = ProviderName | 'auto';

export interface ProviderAvailability {
  name: ProviderName;
  available: boolean;
  /** Why it is not available (or a caveat when it is). */
  note?: string;
}

/** The folder holding onnxruntime-node's native libraries for this platform. */
export function ortBinaryDir(): string | null {
  try {
    const require = createRequire(import.meta.url);
    const pkg = path.dirname(require.resolve('onnxruntime-node/package.json'));
    return path.join(pkg, 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return null;
  }
}

/**
 * CUDA needs onnxruntime's CUDA provider library beside the binding (installed by
 * onnxruntime-node's install script unless `onnxruntime-node-install=skip`), plus the CUDA and
 * cuDNN runtimes, which only loading a session can prove.
 */
export function cudaProviderLibrary(dir = ortBinaryDir()): string | null {
  if (!dir) return null;
  const name = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  const file = path.join(dir, name);
  return existsSync(file) ? file : null;
}

/**
 * The Vulkan driver manifests (ICD files) the Vulkan loader would find on Linux: the files named
 * by VK_DRIVER_FILES / VK_ICD_FILENAMES / VK_ADD_DRIVER_FILES, else the JSON files in the icd.d
 * folders of its search path (XDG config and data dirs, /etc, /usr/local/share, /usr/share).
 */
export function vulkanIcdFiles(
  env: NodeJS.ProcessEnv = process.env,
  list: (dir: string) => string[] = listDir,
): string[] {
  const named = [env.VK_DRIVER_FILES, env.VK_ICD_FILENAMES, env.VK_ADD_DRIVER_FILES]
    .filter((v): v is string => !!v)
    .flatMap((v) => v.split(':'))
    .filter((f) => f && existsSync(f));
  if (named.length > 0 || env.VK_DRIVER_FILES || env.VK_ICD_FILENAMES) return named;
  const home = env.HOME ?? '';
  const config = (env.XDG_CONFIG_DIRS || '/etc/xdg').split(':');
  const data = [
    env.XDG_DATA_HOME || (home && path.join(home, '.local', 'share')),
    ...(env.XDG_DATA_DIRS || '/usr/local/share:/usr/share').split(':'),
  ];
  const dirs = [...config, '/etc', ...data].filter(Boolean).map((d) => path.join(d, 'vulkan', 'icd.d'));
  return [...new Set(dirs)].flatMap((d) =>
    list(d)
      .filter((f) => f.endsWith('.json'))
      .map((f) => path.join(d, f)),
  );
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** What onnxruntime-node offers here, as listed by ort.listSupportedBackends() and the files present. */
export function availableProviders(): ProviderAvailability[] {
  const backends = new Map<string, { bundled: boolean }>();
  for (const b of ort.listSupportedBackends()) backends.set(b.name, b);
  return PROVIDERS.map((name): ProviderAvailability => {
    const b = backends.get(name);
    if (!b)
      return {
        name,
        available: false,
        note: `not built into onnxruntime-node for ${process.platform}-${process.arch}`,
      };
    if (name === 'cuda') {
      const lib = cudaProviderLibrary();
      return lib
        ? { name, available: true, note: `provider library ${lib}; needs CUDA 12 and cuDNN 9 at run time` }
        : {
            name,
            available: false,
            note: 'the CUDA provider library is not installed (onnxruntime-node was installed without it; run ONNXRUNTIME_NODE_INSTALL=cuda12 node node_modules/onnxruntime-node/script/install.js, see README "GPU: adding CUDA")',
          };
    }
    if (name === 'webgpu') {
      // On Linux WebGPU (Dawn) runs on Vulkan: with no Vulkan driver it can only fail, after
      // printing Vulkan's own warnings to stderr, so 'auto' does not try it.
      if (process.platform === 'linux' && vulkanIcdFiles().length === 0) {
        return {
          name,
          available: false,
          note: 'no Vulkan driver is installed (no ICD file in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d), so WebGPU has no GPU to use',
        };
      }
      return {
        name,
        available: true,
        note: 'needs a GPU adapter (Vulkan, Metal or D3D12); checked when a session is created',
      };
    }
    return { name, available: true };
  });
}

/**
 * Providers to try, best first, for a choice on a platform. 'auto': DirectML on Windows, CoreML on
 * macOS, CUDA on Linux when its library is present; then WebGPU; then CPU. Pure.
 */
export function providerOrder(
  choice: ProviderChoice,
  platform: NodeJS.Platform,
  available: readonly ProviderAvailability[],
): ProviderName[] {
  const ok = (n: ProviderName) => available.some((a) => a.name === n && a.available);
  if (choice !== 'auto') return choice === 'cpu' ? ['cpu'] : [choice, 'cpu'];
  const order: ProviderName[] = [];
  if (platform === 'win32' && ok('dml')) order.push('dml');
  if (platform === 'darwin' && ok('coreml')) order.push('coreml');
  if (platform === 'linux' && ok('cuda')) order.push('cuda');
  if (ok('webgpu')) order.push('webgpu');
  order.push('cpu');
  return order;
}

export interface ProviderAttempt {
  provider: ProviderName;
  error: string;
}

export interface CreatedSession {
  session: ort.InferenceSession;
  provider: ProviderName;
  /** Set when a preferred provider failed: which, and onnxruntime's words for why. */
  fallback?: { attempts: ProviderAttempt[]; reason: string };
}

/** onnxruntime's messages are long and carry source paths; the first line after the last colon-path is the useful part. */
export function shortOrtMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  const line = text.split('\n').find((l) => l.trim().length > 0) ?? text;
  // "<source file>:<line> <function signature> <message>": keep the message.
  return line
    .replace(/^\/\S+:\d+ .*?\)(::<lambda\(\)>)?( const)? /, '')
    .trim()
    .slice(0, 400);
}

/**
 * Why a provider could not start, in words a person can act on: the usual causes named (no GPU
 * adapter, CUDA libraries missing, a provider this build lacks), else onnxruntime's own message
 * without its assertion text. One line; onnxruntime's full log shows with CAMTRACK_DEBUG=1.
 */
export function providerProblem(provider: ProviderName, message: string): string {
  if (/adapter/i.test(message) && /webgpu|wgpu/i.test(message))
    return 'no WebGPU adapter: no usable GPU or driver was found';
  if (/vulkan/i.test(message)) return 'Vulkan is not available: no usable GPU or driver was found';
  if (/backend not found|no available backend|not (built|compiled) with|is not enabled in this build/i.test(message))
    return `this onnxruntime-node has no ${provider} provider on ${process.platform} (${message.replace(/^.*ERR: /, '').slice(0, 80)})`;
  if (provider === 'cuda' && /shared (object|library)|load library|libcu|cudnn|providers_shared/i.test(message))
    return 'the CUDA libraries could not be loaded: the CUDA 12 runtime and cuDNN 9 must be installed and on the library path';
  // "a == b was false. The reason." -> "The reason."
  const plain = message.replace(/^.*? was (false|true)\.\s*/, '').trim();
  return plain.length > 160 ? `${plain.slice(0, 157)}...` : plain;
}

export interface SessionOptions {
  /** For tests: the attempt order, instead of providerOrder(choice, ...). */
  order?: ProviderName[];
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
}

/**
 * Creates a session on the first provider of the choice's order that works. Failures on the way
 * are returned in `fallback`; if even CPU fails the model itself is at fault and the CPU error is
 * thrown as it is (the caller names the file).
 */
export async function createSession(
  model: string | Uint8Array,
  choice: ProviderChoice,
  options: SessionOptions = {},
): Promise<CreatedSession> {
  // onnxruntime logs a failing provider's error to stderr itself (a screenful for CUDA); the failure comes back in words here instead.
  if (!process.env.CAMTRACK_DEBUG && !ort.env.logLevel) ort.env.logLevel = 'fatal';
  const order = options.order ?? providerOrder(choice, process.platform, availableProviders());
  const attempts: ProviderAttempt[] = [];
  for (const provider of order) {
    try {
      const opts: ort.InferenceSession.SessionOptions = {
        executionProviders: [provider],
        graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
        logSeverityLevel: 3,
      };
      const session =
        typeof model === 'string'
          ? await ort.InferenceSession.create(model, opts)
          : await ort.InferenceSession.create(model, opts);
      if (!attempts.length) return { session, provider };
      const reason =
        attempts.map((a) => `${a.provider} failed (${providerProblem(a.provider, a.error)})`).join('; ') +
        `; using ${provider}`;
      return { session, provider, fallback: { attempts, reason } };
    } catch (e) {
      if (provider === 'cpu' || provider === order[order.length - 1]) throw e;
      attempts.push({ provider, error: shortOrtMessage(e) });
    }
  }
  throw new Error('no execution provider to try');
}

/** Parses a user's provider choice (CLI flag, settings), refusing unknown names. */
export function parseProviderChoice(value: string): ProviderChoice {
  const v = value.trim().toLowerCase();
  const alias: Record<string, ProviderName> = { directml: 'dml', gpu: 'webgpu' };
  const name: string = alias[v] ?? v;
  if (name === 'auto' || (PROVIDERS as readonly string[]).includes(name)) return name as ProviderChoice;
  throw new CamtrackError('bad-input', `Unknown execution provider "${value}". Choose auto, ${PROVIDERS.join(', ')}.`);
}
