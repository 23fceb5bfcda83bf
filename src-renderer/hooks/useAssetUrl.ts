import { useEffect, useState } from 'react';
import { engine } from '../api/client';
import { useProject } from '../state/projectStore';

/** A blob: URL for a file of the current project (assets, renders), revoked when no longer used. */
export function useAssetUrl(file: string | null | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  const project = useProject((s) => s.dir);
  useEffect(() => {
    if (!file || !project) {
      setUrl(null);
      return;
    }
    let revoked = false;
    let made: string | null = null;
    engine.call('asset.read', { project, file }).then(
      (r) => {
        if (revoked) return;
        made = URL.createObjectURL(new Blob([r.bytes.slice()], { type: r.mime }));
        setUrl(made);
      },
      () => setUrl(null),
    );
    return () => {
      revoked = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [file, project]);
  return url;
}
