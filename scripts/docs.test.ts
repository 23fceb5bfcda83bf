import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..');
const pages = [
  'README.md',
  ...readdirSync(path.join(repo, 'docs'))
    .filter((n) => n.endsWith('.md'))
    .map((n) => `docs/${n}`),
];

/** GitHub's anchor for a heading: lower case, punctuation dropped (but - and _), spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*]/g, '')
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');
}

function anchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/^```[^]*?^```/gm, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])));
}

/** Every relative link and image of a page, as [target, anchor]; web links are left out. */
function links(page: string): { target: string; anchor: string | null }[] {
  const text = readFileSync(path.join(repo, page), 'utf8').replace(/^```[^]*?^```/gm, '');
  return [...text.matchAll(/!?\[[^\]]*\]\(([^)\s]+)\)/g)]
    .map((m) => m[1])
    .filter((href) => !/^[a-z]+:/i.test(href))
    .map((href) => {
      const [target, anchor] = href.split('#');
      return { target, anchor: anchor ?? null };
    });
}

describe('the documentation', () => {
  it('README.md is a front door: at most 150 lines', () => {
    const lines = readFileSync(path.join(repo, 'README.md'), 'utf8').trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(150);
  });

  it('every link in README.md and docs/ leads to a file that exists, and to a heading there', () => {
    const broken: string[] = [];
    for (const page of pages) {
      for (const { target, anchor } of links(page)) {
        const file = target ? path.resolve(path.dirname(path.join(repo, page)), target) : path.join(repo, page);
        if (!existsSync(file)) broken.push(`${page}: ${target} does not exist`);
        else if (anchor && file.endsWith('.md') && !anchors(file).has(anchor))
          broken.push(`${page}: ${target || page} has no heading #${anchor}`);
      }
    }
    expect(broken).toEqual([]);
    // The check itself finds links: the README links to every page of docs/ but the images.
    const fromReadme = new Set(links('README.md').map((l) => l.target));
    expect(pages.filter((p) => p !== 'README.md' && !fromReadme.has(p))).toEqual([]);
  });

  it('nothing in the repository points outside it to the design notes', () => {
    // Built from parts so that this file does not name them itself.
    const outside = ['DESIGN' + '.md', '../' + 'shared'];
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        if (['node_modules', 'dist', '.git', 'artifacts', 'release', 'bench-results'].includes(name)) continue;
        const file = path.join(dir, name);
        const st = statSync(file);
        if (st.isDirectory()) walk(file);
        else if (/\.(ts|tsx|mts|mjs|cjs|js|md|py|json|ya?ml|html|css)$/.test(name) && st.size < 2_000_000) {
          const text = readFileSync(file, 'utf8');
          for (const s of outside) if (text.includes(s)) found.push(`${path.relative(repo, file)}: ${s}`);
        }
      }
    };
    walk(repo);
    expect(found).toEqual([]);
  });
});
