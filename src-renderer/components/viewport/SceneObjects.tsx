import { Suspense, useEffect, useMemo } from 'react';
import { useTexture } from '@react-three/drei';
import * as THREE from 'three';
import type { Intrinsics } from '../../../src-main/engine/geometry/conventions';
import { IDENTITY4 } from '../../../src-main/engine/geometry/conventions';
import type { DepthGeometry, DepthGrid } from './sceneMath';
import { frustumSegments, photoPlaneCorners } from './sceneMath';
import { SOFTWARE_GL } from './gpu';
import { useSourceViewGeometry } from './sceneStore';
import { useAssetUrl } from '../../hooks/useAssetUrl';
import { photoIntrinsics } from '../../../src-main/engine/camera/intrinsics';
import type { SourceView } from '../../../src-main/engine/project/schema';

/** Loads the photo as an sRGB texture (shared by the mesh, the points and the plane). */
export function usePhotoTexture(url: string): THREE.Texture {
  const texture = useTexture(url);
  useMemo(() => {
    texture.colorSpace = THREE.SRGBColorSpace;
    // The ground recedes at grazing angles in most views: anisotropic filtering keeps it sharp.
    texture.anisotropy = SOFTWARE_GL ? 1 : 8;
    texture.needsUpdate = true;
  }, [texture]);
  return texture;
}

/** The photo lifted by its depth: a textured mesh torn at depth discontinuities. */
export function DepthMesh({
  geometry,
  url,
  name = 'depth-mesh',
}: {
  geometry: DepthGeometry;
  url: string;
  name?: string;
}) {
  const texture = usePhotoTexture(url);
  const geo = useMemo(() => {
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(geometry.positions, 3));
    g.setAttribute('uv', new THREE.BufferAttribute(geometry.uvs, 2));
    g.setIndex(new THREE.BufferAttribute(geometry.triangles, 1));
    g.computeBoundingSphere();
    return g;
  }, [geometry]);
  useEffect(() => () => geo.dispose(), [geo]);
  return (
    <mesh geometry={geo} name={name}>
      <meshBasicMaterial map={texture} side={THREE.DoubleSide} toneMapped={false} />
    </mesh>
  );
}

/** The same lifted photo as one point per depth pixel, coloured from the photo at the grid's resolution. */
export function DepthPoints({
  geometry,
  grid,
  url,
  name = 'depth-points',
}: {
  geometry: DepthGeometry;
  grid: DepthGrid;
  url: string;
  name?: string;
}) {
  const texture = usePhotoTexture(url);
  const geo = useMemo(() => {
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(geometry.positions, 3));
    g.setAttribute(
      'color',
      new THREE.BufferAttribute(gridColours(texture.image as CanvasImageSource, grid.width, grid.height), 3),
    );
    g.setIndex(new THREE.BufferAttribute(geometry.points, 1));
    g.computeBoundingSphere();
    return g;
  }, [geometry, grid.width, grid.height, texture]);
  useEffect(() => () => geo.dispose(), [geo]);
  return (
    <points geometry={geo} name={name}>
      <pointsMaterial vertexColors size={3} sizeAttenuation={false} toneMapped={false} />
    </points>
  );
}

/** The photo scaled to the grid: one sRGB colour per grid pixel, as linear floats for three.js. */
function gridColours(image: CanvasImageSource, w: number, h: number): Float32Array {
  const canvas = document.createElement('canvas');
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(image, 0, 0, w, h);
  const data = ctx.getImageData(0, 0, w, h).data;
  const out = new Float32Array(w * h * 3);
  const lin = new Float32Array(256).map((_, i) => srgbToLinear(i / 255));
  for (let i = 0; i < w * h; i++) {
    out[i * 3] = lin[data[i * 4]];
    out[i * 3 + 1] = lin[data[i * 4 + 1]];
    out[i * 3 + 2] = lin[data[i * 4 + 2]];
  }
  return out;
}

/** The sRGB transfer function's inverse (vertex colours are linear in three.js). */
function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Without depth: the photo as a flat plane filling the source camera's view at a nominal distance. */
export function PhotoPlane({ url, intrinsics, distance }: { url: string; intrinsics: Intrinsics; distance: number }) {
  const texture = usePhotoTexture(url);
  const geo = useMemo(() => {
    const [tl, tr, br, bl] = photoPlaneCorners(intrinsics, distance);
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(Float32Array.from([...tl, ...tr, ...br, ...bl]), 3));
    g.setAttribute('uv', new THREE.BufferAttribute(Float32Array.from([0, 1, 1, 1, 1, 0, 0, 0]), 2));
    g.setIndex([0, 3, 1, 1, 3, 2]);
    return g;
  }, [intrinsics, distance]);
  useEffect(() => () => geo.dispose(), [geo]);
  return (
    <mesh geometry={geo} name="photo-plane">
      <meshBasicMaterial map={texture} side={THREE.DoubleSide} toneMapped={false} />
    </mesh>
  );
}

/** Line segments from a flat xyz array (pairs of points), geometry rebuilt only when the array changes. */
export function Segments({
  points,
  color,
  opacity = 1,
  name,
}: {
  points: Float32Array;
  color: string;
  opacity?: number;
  name?: string;
}) {
  const geo = useMemo(() => {
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(points, 3));
    return g;
  }, [points]);
  useEffect(() => () => geo.dispose(), [geo]);
  return (
    <lineSegments geometry={geo} name={name} renderOrder={2}>
      <lineBasicMaterial color={color} transparent={opacity < 1} opacity={opacity} depthTest={false} />
    </lineSegments>
  );
}

/** A polyline through a flat xyz array. */
export function Polyline({ points, color, name }: { points: Float32Array; color: string; name?: string }) {
  const line = useMemo(() => {
    const g = new THREE.BufferGeometry();
    g.setAttribute('position', new THREE.BufferAttribute(points, 3));
    const l = new THREE.Line(g, new THREE.LineBasicMaterial({ color, depthTest: false }));
    l.renderOrder = 3;
    if (name) l.name = name;
    return l;
  }, [points, color, name]);
  useEffect(
    () => () => {
      line.geometry.dispose();
      (line.material as THREE.Material).dispose();
    },
    [line],
  );
  return <primitive object={line} />;
}

/** The source camera (frame 0): a frustum reaching `size` into the scene. */
export function SourceFrustum({ intrinsics, size }: { intrinsics: Intrinsics; size: number }) {
  const pts = useMemo(
    () => Float32Array.from(frustumSegments({ c2w: IDENTITY4, intrinsics }, size)),
    [intrinsics, size],
  );
  return <Segments points={pts} color="#e8e8e8" name="source-frustum" />;
}

/**
 * The further source views (sparse views) that are on: each its frustum and its own photo lifted by
 * its depth (as the photo's, mesh or points), placed by the view's camera-to-world. A view turned
 * off in the Source views panel is left out of the scene, as it is left out of renders.
 */
export function SourceViews({
  views,
  size,
  mode,
}: {
  views: readonly SourceView[];
  size: number;
  mode: 'mesh' | 'points';
}) {
  return (
    <>
      {views
        .filter((v) => v.enabled)
        .map((v) => (
          <SourceViewObject key={v.id} view={v} size={size} mode={mode} />
        ))}
    </>
  );
}

function SourceViewObject({ view, size, mode }: { view: SourceView; size: number; mode: 'mesh' | 'points' }) {
  const intrinsics = useMemo(() => photoIntrinsics(view.image), [view.image]);
  const url = useAssetUrl(`assets/${view.image.asset.file}`);
  const lifted = useSourceViewGeometry(view);
  // three.js matrices are set row-major, as the project stores poses.
  const matrix = useMemo(() => new THREE.Matrix4().set(...(view.c2w as Parameters<THREE.Matrix4['set']>)), [view.c2w]);
  return (
    <>
      <ViewFrustum c2w={view.c2w} intrinsics={intrinsics} size={size} color="#f0a040" name={`source-view-${view.id}`} />
      {url && lifted && (
        <group matrix={matrix} matrixAutoUpdate={false}>
          <Suspense fallback={null}>
            {mode === 'mesh' ? (
              <DepthMesh geometry={lifted.geometry} url={url} name={`source-mesh-${view.id}`} />
            ) : (
              <DepthPoints
                geometry={lifted.geometry}
                grid={lifted.preview}
                url={url}
                name={`source-points-${view.id}`}
              />
            )}
          </Suspense>
        </group>
      )}
    </>
  );
}

function ViewFrustum({
  c2w,
  intrinsics,
  size,
  color,
  name,
}: {
  c2w: readonly number[];
  intrinsics: Intrinsics;
  size: number;
  color: string;
  name: string;
}) {
  const pts = useMemo(() => Float32Array.from(frustumSegments({ c2w, intrinsics }, size)), [c2w, intrinsics, size]);
  return <Segments points={pts} color={color} name={name} />;
}
