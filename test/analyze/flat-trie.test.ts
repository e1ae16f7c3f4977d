/**
 * The frozen trie (double array) against its linked build: every path of the linked trie is
 * found with the same patterns and gates, and every step off a path returns 0.
 */
import type { CompiledPattern } from '../../src/analyze/compile';
import { FlatTrie, TrieNode } from '../../src/analyze/trie';

let seed = 7;
function rand(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
const ALPHABET = [...'abcdefghijklmnopqrstuvwxyzçğışöüəабвгдежзийклмнопрстуфхцчшщыэюяաբգդեզէըթժիլխծկհձղճմյնշոչպջռսվտրցւփքօֆ'].map((c) => c.charCodeAt(0));

function pattern(id: number): CompiledPattern {
  return { id, owner: { kind: 'exception' }, term: String(id), tokens: [], gapsBefore: [], turkic: false };
}

function randomWord(alphabet: number[], max: number): number[] {
  const n = 1 + Math.floor(rand() * max);
  return Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]!);
}

function walk(trie: FlatTrie, word: number[]): number {
  let node = 0;
  for (const u of word) { node = trie.next(node, u); if (node === 0) return 0; }
  return node;
}

describe('FlatTrie', () => {
  for (const [size, alphabet, max] of [[1, ALPHABET, 3], [50, ALPHABET.slice(0, 5), 6], [3000, ALPHABET, 8], [6000, ALPHABET.slice(0, 30), 12]] as const) {
    it(`matches its linked build (${size} words over ${alphabet.length} letters)`, () => {
      const root = new TrieNode();
      const words = new Map<string, number[]>();
      for (let i = 0; i < size; i++) {
        const w = randomWord(alphabet, max);
        let node = root;
        for (const u of w) node = node.child(u);
        const p = pattern(i);
        if (rand() < 0.5) (node.exact ??= []).push(p); else (node.prefix ??= []).push(p);
        if (rand() < 0.2) node.gate |= 1 + Math.floor(rand() * 3);
        words.set(String.fromCharCode(...w), w);
      }
      const trie = new FlatTrie(root);
      // Every node of the linked trie, by its path.
      const stack: Array<[TrieNode, number[]]> = [[root, []]];
      let visited = 0;
      const wrong: string[] = [];
      while (stack.length > 0) {
        const [node, path] = stack.pop()!;
        const at = walk(trie, path);
        const where = String.fromCharCode(...path);
        if (path.length > 0 && at === 0) wrong.push(`${where}: not found`);
        if (trie.exact[at] !== node.exact || trie.prefix[at] !== node.prefix || (trie.info[at]! & 3) !== node.gate) wrong.push(`${where}: other node`);
        // Stepping off the path: every letter of the test alphabet, one other letter, space, U+FFFF.
        const other = ALPHABET[Math.floor(rand() * ALPHABET.length)]!;
        for (const u of [...alphabet, other, 0x20, 0xffff]) if (!node.next?.has(u) && trie.next(at, u) !== 0) wrong.push(`${where} + ${u}: a child`);
        for (const [u, child] of node.next ?? []) stack.push([child, [...path, u]]);
        visited++;
      }
      expect(wrong).toEqual([]);
      expect(visited).toBeGreaterThan(Math.min(size, 20));
    });
  }
});
