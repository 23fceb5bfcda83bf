/** Turns onnxruntime's error text into CamtrackErrors a person can act on. */
import { CamtrackError } from '../util/errors';
import { shortOrtMessage } from './providers';

const OOM =
  /out of memory|failed to allocate|bad_alloc|cudaErrorMemoryAllocation|E_OUTOFMEMORY|OrtMemory|insufficient memory|CUDNN_STATUS_ALLOC_FAILED/i;
const PROVIDER = /CUDA|cuDNN|DirectML|DML|CoreML|WebGPU|Dawn|D3D12|Vulkan|Metal|adapter|device lost/i;

/**
 * What SVD can give up to fit in memory (docs/models.md, "Memory"). Not frames: SVD-XT is trained
 * for 25 and SVD for 14, and both keep all frames in every step's temporal attention.
 */
export const SVD_MEMORY_ADVICE =
  'To fit: use a float16 model folder, run classifier-free guidance as two batch-1 passes instead of one batch of 2, ' +
  'lower the VAE decode chunk, or render smaller (width and height in multiples of 64, e.g. 768x448 needs about 0.58x the activations of 1024x576); or use another provider';

/** Wraps an error from session.run or session creation; `where` says what was running, `advice` what to reduce on out-of-memory. */
export function mapOrtError(
  e: unknown,
  where: string,
  provider?: string,
  advice: string = SVD_MEMORY_ADVICE,
): CamtrackError {
  if (e instanceof CamtrackError) return e;
  const text = e instanceof Error ? e.message : String(e);
  const short = shortOrtMessage(e);
  if (OOM.test(text))
    return new CamtrackError(
      'out-of-memory',
      `${where} ran out of memory${provider ? ` on ${provider}` : ''}: ${short}. ${advice}.`,
      { cause: e, detail: text },
    );
  if (provider && provider !== 'cpu' && PROVIDER.test(text))
    return new CamtrackError(
      'provider',
      `${where} failed on the ${provider} provider: ${short}. Try --ep cpu, or update the GPU driver.`,
      { cause: e, detail: text },
    );
  return new CamtrackError('model', `${where} failed in ONNX Runtime: ${short}`, { cause: e, detail: text });
}
