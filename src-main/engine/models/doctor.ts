/**
 * What `camtrack doctor` reports: versions, ffmpeg, execution providers (listed and, with a probe,
 * proven by opening the draft UNet on each), the NVIDIA GPU if nvidia-smi is there, and the model
 * folders found. Every probe is caught: the report says what is wrong instead of failing.
 */
import { execFile } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { appVersion } from '../util/appRoot';
import { resolveFfmpeg } from '../video/resolve-ffmpeg';
import { builtinDraftModelDir, listModelFolders, userModelsDir, verifyModelFolder } from './modelFolder';
import {
  availableProviders,
  createSession,
  providerProblem,
  shortOrtMessage,
  type ProviderAvailability,
  type ProviderName,
} from './providers';

export interface ProviderReport extends ProviderAvailability {
  /** With probing: whether a session really opened on it, and onnxruntime's reason when not. */
  probe?: { ok: true; ms: number } | { ok: false; reason: string };
}

export interface ModelReport {
  dir: string;
  name?: string;
  family?: string;
  dtype?: string;
  ok: boolean;
  problem?: string;
}

export interface DoctorReport {
  versions: { camtrack: string; node: string; onnxruntime: string; platform: string };
  ffmpeg: { ok: true; path: string; source: string; version: string } | { ok: false; problem: string };
  providers: ProviderReport[];
  gpu: { nvidiaSmi: false } | { nvidiaSmi: true; gpus: string[] };
  models: { draft: ModelReport; userDir: string; user: ModelReport[] };
}

/** `nvidia-smi` one line per GPU (name, memory, driver), or null when it is absent or fails. */
export function nvidiaGpus(timeoutMs = 5000): Promise<string[] | null> {
  return new Promise((resolve) => {
    execFile(
      'nvidia-smi',
      ['--query-gpu=name,memory.total,driver_version', '--format=csv,noheader'],
      { timeout: timeoutMs, windowsHide: true },
      (err, stdout) => {
        if (err) resolve(null);
        else
          resolve(
            stdout
              .split('\n')
              .map((l) => l.trim())
              .filter(Boolean),
          );
      },
    );
  });
}

/** Opens the draft UNet on one provider alone (no fallback), to prove the provider works here. */
export async function probeProvider(name: ProviderName): Promise<NonNullable<ProviderReport['probe']>> {
  const t0 = performance.now();
  try {
    const { session } = await createSession(path.join(builtinDraftModelDir(), 'unet.onnx'), name, { order: [name] });
    await session.release();
    return { ok: true, ms: performance.now() - t0 };
  } catch (e) {
    return { ok: false, reason: providerProblem(name, shortOrtMessage(e)) };
  }
}

async function modelReport(dir: string, hashes: boolean): Promise<ModelReport> {
  try {
    const m = await verifyModelFolder(dir, { hashes });
    return { dir, name: m.name, family: m.family, dtype: m.dtype, ok: true };
  } catch (e) {
    return { dir, ok: false, problem: (e as Error).message };
  }
}

export interface DoctorOptions {
  /** Open a session on every available provider (default true). */
  probe?: boolean;
  /** Hash user model files (slow for real models; default false: presence and sizes only). */
  hashes?: boolean;
  modelsDir?: string;
}

export async function runDoctor(options: DoctorOptions = {}): Promise<DoctorReport> {
  const providers: ProviderReport[] = availableProviders();
  if (options.probe !== false) {
    for (const p of providers) if (p.available) p.probe = await probeProvider(p.name);
  }
  let ffmpeg: DoctorReport['ffmpeg'];
  try {
    const f = await resolveFfmpeg();
    ffmpeg = { ok: true, path: f.path, source: f.source, version: f.version };
  } catch (e) {
    ffmpeg = { ok: false, problem: (e as Error).message };
  }
  const gpus = await nvidiaGpus();
  const userDir = options.modelsDir ?? userModelsDir();
  const user = await Promise.all(
    (await listModelFolders(userDir)).map((f) =>
      f.problem ? { dir: f.dir, ok: false, problem: f.problem } : modelReport(f.dir, options.hashes ?? false),
    ),
  );
  return {
    versions: {
      camtrack: appVersion(),
      node: process.versions.node,
      onnxruntime: ort.env.versions.node ?? 'unknown',
      platform: `${process.platform}-${process.arch} (${os.release()})`,
    },
    ffmpeg,
    providers,
    gpu: gpus ? { nvidiaSmi: true, gpus } : { nvidiaSmi: false },
    models: { draft: await modelReport(builtinDraftModelDir(), true), userDir, user },
  };
}

/** The report as lines for a terminal. */
export function formatDoctor(r: DoctorReport): string[] {
  const lines: string[] = [];
  lines.push(
    `camtrack ${r.versions.camtrack}, node ${r.versions.node}, onnxruntime-node ${r.versions.onnxruntime}, ${r.versions.platform}`,
  );
  lines.push(
    r.ffmpeg.ok
      ? `ffmpeg: ${r.ffmpeg.version} at ${r.ffmpeg.path} (from ${r.ffmpeg.source})`
      : `ffmpeg: NOT FOUND. ${r.ffmpeg.problem}`,
  );
  lines.push('execution providers:');
  for (const p of r.providers) {
    let state = p.available ? 'available' : 'not available';
    if (p.probe)
      state = p.probe.ok ? `works (session opened in ${p.probe.ms.toFixed(0)} ms)` : `FAILS: ${p.probe.reason}`;
    lines.push(`  ${p.name.padEnd(7)} ${state}${p.note && !(p.probe && !p.probe.ok) ? ` (${p.note})` : ''}`);
  }
  lines.push(
    r.gpu.nvidiaSmi
      ? `NVIDIA GPU: ${r.gpu.gpus.join('; ') || 'nvidia-smi lists none'}`
      : 'NVIDIA GPU: none found (no nvidia-smi)',
  );
  const m = (x: ModelReport) =>
    x.ok ? `${x.name} [${x.family}, ${x.dtype}] ${x.dir}` : `UNUSABLE ${x.dir}: ${x.problem}`;
  lines.push(`built-in draft model: ${m(r.models.draft)}`);
  lines.push(`user models in ${r.models.userDir}: ${r.models.user.length ? '' : 'none'}`);
  for (const u of r.models.user) lines.push(`  ${m(u)}`);
  return lines;
}
