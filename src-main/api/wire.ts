/**
 * JSON encoding for the WebSocket bridge. Electron IPC and Node's advanced IPC serialisation carry
 * typed arrays natively; over WebSocket they become {"$typed": kind, "b64": ...}.
 * Shared by the browser client and the Node server: no node imports here.
 */
type TypedKind = 'Uint8Array' | 'Float32Array' | 'Float64Array' | 'Uint16Array' | 'Int32Array';
const CTORS = { Uint8Array, Float32Array, Float64Array, Uint16Array, Int32Array } as const;

/** Node's Buffer when present (the server): much faster than btoa for megabytes. */
const NodeBuffer = (
  globalThis as {
    Buffer?: { from(b: ArrayBufferView | string, enc?: string): Uint8Array & { toString(enc: string): string } };
  }
).Buffer;

function toBase64(u8: Uint8Array): string {
  if (NodeBuffer) return NodeBuffer.from(u8 as ArrayBufferView).toString('base64');
  let s = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < u8.length; i += CHUNK)
    s += String.fromCharCode.apply(null, Array.from(u8.subarray(i, i + CHUNK)));
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array {
  if (NodeBuffer) return new Uint8Array(NodeBuffer.from(b64, 'base64'));
  const s = atob(b64);
  const u8 = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) u8[i] = s.charCodeAt(i);
  return u8;
}

export function encodeWire(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const kind = v.constructor.name as TypedKind;
      if (!Object.hasOwn(CTORS, kind)) throw new Error(`Cannot send a ${kind} over the bridge`);
      const u8 = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
      return { $typed: kind, b64: toBase64(u8) };
    }
    return v;
  });
}

export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v && typeof v === 'object' && '$typed' in v && 'b64' in v) {
      const { $typed, b64 } = v as { $typed: TypedKind; b64: string };
      // Own keys only: "constructor" or "__proto__" must not find Object's members.
      const Ctor = typeof $typed === 'string' && Object.hasOwn(CTORS, $typed) ? CTORS[$typed] : undefined;
      if (!Ctor)
        throw new Error(`Unknown typed array kind on the bridge: ${JSON.stringify($typed) ?? String($typed)}.`);
      if (typeof b64 !== 'string') throw new Error(`The ${$typed} on the bridge has no base64 text.`);
      const u8 = fromBase64(b64);
      if ($typed === 'Uint8Array') return u8;
      if (u8.byteLength % Ctor.BYTES_PER_ELEMENT)
        throw new Error(`The ${$typed} on the bridge has ${u8.byteLength} bytes, not a whole number of elements.`);
      const copy = u8.slice().buffer; // aligned copy
      return new Ctor(copy);
    }
    return v;
  });
}
