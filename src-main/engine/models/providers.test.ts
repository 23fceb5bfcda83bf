import { describe, expect, it } from 'vitest';
import { CamtrackError } from '../util/errors';
import { formatDoctor, runDoctor } from './doctor';
import { mapOrtError } from './ortErrors';
import {
  parseProviderChoice,
  providerOrder,
  providerProblem,
  shortOrtMessage,
  vulkanIcdFiles,
  type ProviderAvailability,
} from './providers';

const all = (names: string[]): ProviderAvailability[] =>
  (['cuda', 'dml', 'coreml', 'webgpu', 'cpu'] as const).map((name) => ({ name, available: names.includes(name) }));

describe('provider order', () => {
  it("'auto' prefers the platform's GPU provider, then WebGPU, then CPU", () => {
    expect(providerOrder('auto', 'win32', all(['dml', 'webgpu', 'cpu']))).toEqual(['dml', 'webgpu', 'cpu']);
    expect(providerOrder('auto', 'darwin', all(['coreml', 'webgpu', 'cpu']))).toEqual(['coreml', 'webgpu', 'cpu']);
    expect(providerOrder('auto', 'linux', all(['cuda', 'webgpu', 'cpu']))).toEqual(['cuda', 'webgpu', 'cpu']);
    // Linux without the CUDA provider library (onnxruntime-node-install=skip): straight to WebGPU.
    expect(providerOrder('auto', 'linux', all(['webgpu', 'cpu']))).toEqual(['webgpu', 'cpu']);
    expect(providerOrder('auto', 'linux', all(['cpu']))).toEqual(['cpu']);
  });

  it('a named provider is tried first, with CPU as the fallback', () => {
    expect(providerOrder('webgpu', 'linux', all(['cpu']))).toEqual(['webgpu', 'cpu']);
    expect(providerOrder('cpu', 'linux', all(['webgpu', 'cpu']))).toEqual(['cpu']);
  });

  it('parses choices and refuses unknown names', () => {
    expect(parseProviderChoice('DirectML')).toBe('dml');
    expect(parseProviderChoice(' auto ')).toBe('auto');
    expect(() => parseProviderChoice('tpu')).toThrow(
      /Unknown execution provider "tpu"\. Choose auto, cuda, dml, coreml, webgpu, cpu/,
    );
  });
});

describe("onnxruntime's error text", () => {
  const webgpu =
    '/onnxruntime_src/onnxruntime/core/providers/webgpu/webgpu_context.cc:136 onnxruntime::webgpu::WebGpuContext::Initialize(const onnxruntime::webgpu::WebGpuContextConfig&)::<lambda()> Failed to get a WebGPU adapter: No supported adapters';
  it('keeps the message and drops the source location', () => {
    expect(shortOrtMessage(new Error(webgpu))).toBe('Failed to get a WebGPU adapter: No supported adapters');
  });

  it('maps out-of-memory and provider failures to codes a person can act on', () => {
    const oom = mapOrtError(
      new Error('/x/bfc_arena.cc:376 void* Alloc(size_t) Failed to allocate memory for requested buffer of size 123'),
      'The UNet',
      'cuda',
    );
    expect([oom.code, oom.message]).toEqual([
      'out-of-memory',
      expect.stringMatching(
        /^The UNet ran out of memory on cuda: .*float16.*two batch-1 passes.*decode chunk.*multiples of 64/,
      ),
    ]);
    // SVD cannot take fewer frames (its temporal layers are trained for 14 or 25): never advised.
    expect(oom.message).not.toMatch(/frames/);
    expect(mapOrtError(new Error('bad_alloc'), 'Depth estimation', 'cpu', 'Try a depth file').message).toBe(
      'Depth estimation ran out of memory on cpu: bad_alloc. Try a depth file.',
    );
    const prov = mapOrtError(new Error(webgpu), 'The UNet', 'webgpu');
    expect([prov.code, prov.message]).toEqual([
      'provider',
      expect.stringMatching(/failed on the webgpu provider: Failed to get a WebGPU adapter.*--ep cpu/),
    ]);
    const other = mapOrtError(new Error('Unexpected input data type'), 'The UNet', 'cpu');
    expect(other).toBeInstanceOf(CamtrackError);
    expect(other.code).toBe('model');
  });
});

describe('doctor', () => {
  it('reports versions, ffmpeg, providers probed with a session, and the draft model', async () => {
    const r = await runDoctor({ modelsDir: '/nonexistent-camtrack-models' });
    expect(r.versions.onnxruntime).toMatch(/^1\.\d+\.\d+/);
    expect(r.ffmpeg.ok).toBe(true); // Debian's ffmpeg is installed on this machine
    const cpu = r.providers.find((p) => p.name === 'cpu')!;
    expect(cpu.probe).toMatchObject({ ok: true });
    const webgpu = r.providers.find((p) => p.name === 'webgpu')!;
    // Without a GPU adapter the probe fails and says why; with one it opens.
    if (webgpu.probe && !webgpu.probe.ok) expect(webgpu.probe.reason).toMatch(/adapter|WebGPU|Dawn/i);
    expect(r.models.draft).toMatchObject({ ok: true, family: 'draft', dtype: 'float32' });
    expect(r.models.user).toEqual([]);
    const text = formatDoctor(r).join('\n');
    expect(text).toMatch(/^camtrack \S+, node \S+, onnxruntime-node 1\./);
    expect(text).toMatch(/cpu +works/);
    expect(text).toMatch(/built-in draft model: Camtrack draft model/);
  });
});

describe('a provider that cannot start, in one readable line', () => {
  it('names the usual causes and strips assertion text (messages as onnxruntime-node 1.30 gives them on Linux)', () => {
    expect(
      providerProblem(
        'webgpu',
        'adapter_result.status == wgpu::RequestAdapterStatus::Success was false. Failed to get a WebGPU adapter: No supported adapters',
      ),
    ).toBe('no WebGPU adapter: no usable GPU or driver was found');
    expect(
      providerProblem('cuda', 'OrtSessionOptionsAppendExecutionProvider_Cuda: Failed to load shared library'),
    ).toMatch(/^the CUDA libraries could not be loaded: the CUDA 12 runtime and cuDNN 9/);
    expect(providerProblem('coreml', 'no available backend found. ERR: [coreml] backend not found.')).toBe(
      `this onnxruntime-node has no coreml provider on ${process.platform} ([coreml] backend not found.)`,
    );
    expect(providerProblem('dml', 'x == y was false. Something else went wrong')).toBe('Something else went wrong');
    expect(providerProblem('dml', 'z'.repeat(500))).toHaveLength(160);
  });
});

describe('Vulkan drivers for WebGPU on Linux', () => {
  const tree: Record<string, string[]> = {
    '/usr/share/vulkan/icd.d': ['nvidia_icd.json', 'README'],
    '/etc/vulkan/icd.d': [],
  };
  const list = (d: string) => tree[d] ?? [];
  it("finds ICD manifests on the loader's search path, and none on a machine without a driver", () => {
    expect(vulkanIcdFiles({ HOME: '/home/a' }, list)).toEqual(['/usr/share/vulkan/icd.d/nvidia_icd.json']);
    expect(vulkanIcdFiles({ HOME: '/home/a' }, () => [])).toEqual([]);
    // XDG_DATA_DIRS replaces the default data folders.
    expect(vulkanIcdFiles({ XDG_DATA_DIRS: '/opt/share' }, list)).toEqual([]);
  });
  it('uses only the files VK_DRIVER_FILES names when it is set (missing files: no driver)', () => {
    expect(vulkanIcdFiles({ VK_DRIVER_FILES: '/nonexistent/icd.json' }, list)).toEqual([]);
    expect(vulkanIcdFiles({ VK_DRIVER_FILES: __filename }, list)).toEqual([__filename]);
  });
});
