import { Suspense } from 'react';
import { Canvas } from '@react-three/fiber';
import { OrbitControls, Grid, GizmoHelper, GizmoViewport, useTexture } from '@react-three/drei';
import { useProject } from '../../state/projectStore';
import { useAssetUrl } from '../../hooks/useAssetUrl';

/** The photo as a plane one unit in front of the source camera, sized by its aspect. */
function PhotoPlane({ url, aspect }: { url: string; aspect: number }) {
  const texture = useTexture(url);
  return (
    <mesh position={[0, 0, -2]}>
      <planeGeometry args={[2 * aspect, 2]} />
      <meshBasicMaterial map={texture} toneMapped={false} />
    </mesh>
  );
}

export function Viewport() {
  const image = useProject((s) => s.doc?.image ?? null);
  const url = useAssetUrl(image ? `assets/${image.asset.file}` : null);
  return (
    <section className="panel viewport" aria-label="3D viewport" data-testid="viewport">
      <Canvas camera={{ position: [2.5, 1.5, 2.5], fov: 50, near: 0.01, far: 1000 }} gl={{ preserveDrawingBuffer: true }}>
        <color attach="background" args={['#15171c']} />
        <Grid infiniteGrid cellColor="#2a2f3a" sectionColor="#3b4252" fadeDistance={40} />
        <axesHelper args={[0.5]} />
        <Suspense fallback={null}>{url && image && <PhotoPlane url={url} aspect={image.width / image.height} />}</Suspense>
        <OrbitControls makeDefault target={[0, 0, -2]} />
        <GizmoHelper alignment="bottom-right" margin={[64, 64]}>
          <GizmoViewport labelColor="white" axisHeadScale={0.9} />
        </GizmoHelper>
      </Canvas>
      {!image && <div className="viewport__empty">Drop a photo here, or File › Import Image</div>}
    </section>
  );
}
