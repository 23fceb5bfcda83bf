import type { JobView } from '../../../src-main/api/contract';

/** Marks a render made as a preview (warp + fill, no model), wherever a render is listed or shown. */
export function KindBadge({ job }: { job: Pick<JobView, 'preview'> }) {
  if (!job.preview) return null;
  return (
    <span
      className="badge badge--preview"
      data-testid="job-kind"
      title="Preview: the photo warped into each frame, holes filled. No model ran."
    >
      PREVIEW
    </span>
  );
}
