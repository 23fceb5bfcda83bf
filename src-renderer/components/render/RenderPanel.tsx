import { useEffect, useState } from 'react';
import { engine } from '../../api/client';
import { run } from '../../actions';
import { useProject, projectDirOrThrow } from '../../state/projectStore';
import type { JobView } from '../../../src-main/api/contract';

export function RenderPanel() {
  const doc = useProject((s) => s.doc);
  const [jobs, setJobs] = useState<JobView[]>([]);
  useEffect(() => {
    engine.call('render.queue', {}).then(setJobs, () => setJobs([]));
    return engine.on('job.update', (job) => setJobs((js) => (js.some((j) => j.id === job.id) ? js.map((j) => (j.id === job.id ? job : j)) : [...js, job])));
  }, []);
  return (
    <section className="panel render" id="render-panel" aria-label="Render" data-testid="render-panel">
      <header className="panel__header">
        <h3>Render</h3>
        <button className="primary" disabled={!doc?.image || !doc.depth} onClick={() => doc && void run('Queueing render', () => engine.call('render.enqueue', { project: projectDirOrThrow(), doc }))}>
          Render
        </button>
      </header>
      <ul className="jobs">
        {jobs.map((j) => (
          <li key={j.id}>
            {j.label} — {j.status} {Math.round(j.progress * 100)}%
          </li>
        ))}
      </ul>
    </section>
  );
}
