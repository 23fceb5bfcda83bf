/** Turns onnxruntime's error text into CamtrackErrors a person can act on. */
import { CamtrackError } from '../util/errors';
import { shortOrtMessage } from './providers';

const OOM = /out of memory|failed to allocate|bad_alloc|cudaErrorMemoryAllocation|E_OUTOFMEMORY|OrtMemory|insufficient memory|CUDNN_STATUS_ALLOC_FAILED/i;
const PROVIDER = /CUDA|cuDNN|DirectML|DML|CoreML|WebGPU|Dawn|D3D12|Vulkan|Metal|adapter|device lost/i;

/** Wraps an error from session.run or session creation; `where` says what was running. */
export function mapOrtError(e: unknown, where: string, provider?: string): CamtrackError {
  if (e instanceof CamtrackError) return e;
  const text = e instanceof Error ? e.message : String(e);
  const short = shortOrtMessage(e);
  if (OOM.test(text))
    return new CamtrackError('out-of-memory', `${where} ran out of memory${provider ? ` on ${provider}` : ''}: ${short}. Try fewer frames, a smaller size, a smaller decode chunk, or another provider.`, { cause: e, detail: text });
  if (provider && provider !== 'cpu' && PROVIDER.test(text))
    return new CamtrackError('provider', `${where} failed on the ${provider} provider: ${short}. Try --ep cpu, or update the GPU driver.`, { cause: e, detail: text });
  return new CamtrackError('model', `${where} failed in ONNX Runtime: ${short}`, { cause: e, detail: text });
}
