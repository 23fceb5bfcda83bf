import { CamtrackError } from '../util/errors';
import { depthAsset, ProjectDoc, PROJECT_SCHEMA_VERSION } from './schema';
import { migrateToCurrent } from './migrate';
import { formatIssues } from '../util/issues';

/**
 * Text -> validated ProjectDoc, with no file I/O (the browser UI may use it too). Every refusal is a
 * CamtrackError naming the file (`label`) and what is wrong in it.
 */

export interface DecodedProject {
  doc: ProjectDoc;
  /** The schema version the text was written in, when it was older and has been migrated. */
  migratedFrom?: number;
}

/** 0-based character offset -> 1-based line and column. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** JSON.parse with an error that names the file and the line and column of the fault. */
export function parseJsonText(textIn: string, label: string): unknown {
  // A byte-order mark (some Windows editors add one) is not JSON, but it is not damage either.
  const text = textIn.charCodeAt(0) === 0xfeff ? textIn.slice(1) : textIn;
  if (text.trim() === '')
    throw new CamtrackError(
      'bad-file',
      `${label} is empty: it is not a Camtrack project file (the save that wrote it may have been interrupted).`,
    );
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // V8 says "... at position N" (newer versions add the line), "Unexpected end of JSON input" for
    // a truncated text, and for some faults (`Unexpected token 'x', "x..." is not valid JSON`) no position.
    const m = /at position (\d+)/.exec(msg);
    const ended = /Unexpected end of JSON input/i.test(msg);
    if (!m && !ended) throw new CamtrackError('bad-file', `${label} is not valid JSON: ${msg}`, { cause: e });
    const offset = m ? Number(m[1]) : text.length;
    // A fault at the very end of the text means the text stops early: an interrupted write or copy.
    const truncated = ended || offset >= text.trimEnd().length;
    const { line, column } = lineColumn(text, offset);
    const what = truncated ? 'is cut off (truncated)' : 'is not valid JSON';
    throw new CamtrackError(
      'bad-file',
      `${label} ${what}: ${msg.replace(/ in JSON at position \d+.*$/, '')} at line ${line}, column ${column}.`,
      { cause: e },
    );
  }
}

/** Reads `schemaVersion` from a parsed document, refusing what is not a project at all. */
export function schemaVersionOf(raw: unknown, label: string): number {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CamtrackError(
      'bad-file',
      `${label} is not a Camtrack project: it holds ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw}, not an object.`,
    );
  }
  const v = (raw as Record<string, unknown>).schemaVersion;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) {
    throw new CamtrackError(
      'bad-file',
      `${label} is not a Camtrack project: it has no valid "schemaVersion" (got ${JSON.stringify(v) ?? 'nothing'}).`,
    );
  }
  return v;
}

export function newerVersionError(label: string, version: number): CamtrackError {
  return new CamtrackError(
    'newer-version',
    `${label} was made by a newer Camtrack Studio (schema ${version}); this build reads up to schema ${PROJECT_SCHEMA_VERSION}. Update the studio to open it. The file has not been changed.`,
  );
}

/** Checks the version, migrates older documents in memory, then validates against the schema. */
export function decodeProjectDoc(raw: unknown, label: string): DecodedProject {
  const version = schemaVersionOf(raw, label);
  if (version > PROJECT_SCHEMA_VERSION) throw newerVersionError(label, version);
  let current = raw;
  if (version < PROJECT_SCHEMA_VERSION) {
    try {
      current = migrateToCurrent(raw, version);
    } catch (e) {
      if (e instanceof CamtrackError) throw new CamtrackError(e.code, `${label}: ${e.message}`, { cause: e });
      throw e;
    }
  }
  const r = ProjectDoc.safeParse(current);
  if (!r.success)
    throw new CamtrackError('bad-file', `${label} is not a valid project: ${formatIssues(r.error.issues)}`);
  return version < PROJECT_SCHEMA_VERSION ? { doc: r.data, migratedFrom: version } : { doc: r.data };
}

export function parseProjectText(text: string, label: string): DecodedProject {
  return decodeProjectDoc(parseJsonText(text, label), label);
}

/** Validates a document about to be saved; a refusal lists the first issues with their paths. */
export function assertValidDoc(doc: unknown, problem = 'The project cannot be saved, it is not valid'): ProjectDoc {
  const r = ProjectDoc.safeParse(doc);
  if (!r.success) throw new CamtrackError('bad-input', `${problem}: ${formatIssues(r.error.issues)}`);
  return r.data;
}

/** The asset files a document references (image and its working copy, depth), in a stable order. */
export function referencedAssets(doc: ProjectDoc): { file: string; sha256: string; role: string }[] {
  const out: { file: string; sha256: string; role: string }[] = [];
  if (doc.image) out.push({ ...doc.image.asset, role: 'source image' });
  if (doc.image?.working) out.push({ ...doc.image.working, role: 'working copy of the source image' });
  // A depth shape stores no file.
  const depth = doc.depth && depthAsset(doc.depth);
  if (depth) out.push({ ...depth, role: 'depth' });
  for (const v of doc.sources) {
    out.push({ ...v.image.asset, role: `source view "${v.name}" image` });
    const d = depthAsset(v.depth);
    if (d) out.push({ ...d, role: `source view "${v.name}" depth` });
  }
  // Video frames (frame 0 is also `image`/`depth`: listed once).
  const seen = new Set(out.map((r) => r.file));
  doc.video?.frames.forEach((f, k) => {
    for (const [ref, what] of [
      [f.image, 'image'],
      [f.depth, 'depth'],
    ] as const) {
      if (seen.has(ref.file)) continue;
      seen.add(ref.file);
      out.push({ ...ref, role: `video frame ${k} ${what}` });
    }
  });
  return out;
}
