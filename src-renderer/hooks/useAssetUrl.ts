import { useEffect, useState } from 'react';
import { engine } from '../api/client';

/** A blob: URL for a file of the current project (assets, renders), revoked when no longer used. */
export function useAssetUrl(file: string | null | undefined): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!file) {
      setUrl(null);
      return;
    }
    let revoked = false;
    let made: string | null = null;
    engine.call('asset.read', { file }).then(
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
  }, [file]);
  return url;
}
