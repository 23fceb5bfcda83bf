import { useEffect } from 'react';
import { create } from 'zustand';
import type { ModelsStatus } from '../../src-main/api/contract';
import { engine } from '../api/client';

/**
 * What the engine found in the models folder (depth models, SVD folders), asked once and again
 * on refresh (after the artist says they installed something). Shared by the welcome view and
 * the depth panel.
 */
interface ModelsStatusState {
  status: ModelsStatus | null;
  error: string | null;
  refresh(): Promise<void>;
}

export const useModelsStatus = create<ModelsStatusState>()((set) => ({
  status: null,
  error: null,
  async refresh() {
    try {
      set({ status: await engine.call('models.status', {}), error: null });
    } catch (e) {
      set({ error: (e as Error).message });
    }
  },
}));

/** The models status, fetched on first use. */
export function useModels(): ModelsStatusState {
  const state = useModelsStatus();
  useEffect(() => {
    if (!useModelsStatus.getState().status) void useModelsStatus.getState().refresh();
  }, []);
  return state;
}
