/**
 * Rule files as an attacker would write them: FIFOs and devices named `x.yml`, huge or
 * non-UTF-8 files, YAML nested or aliased without end, 100k values.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AhoCorasick } from './ahocorasick.js';
import { loadRules, loadRulesFromText } from './load.js';
import { RuleSet } from './ruleset.js';

const RULE = `title: t\nlogsource: { category: process_creation, product: linux }\ndetection:\n  sel:\n    Image|endswith: /curl\n  condition: sel\n`;

async function dir(): Promise<string> {
  return mkdtemp(path.join(tmpdir(), 'edrkit-rules-'));
}

describe('rule files that are not plain text files', () => {
  it('a FIFO named x.yml is refused at once, and the other rules load', async () => {
    const d = await dir();
    execFileSync('mkfifo', [path.join(d, 'x.yml')]);
    await writeFile(path.join(d, 'y.yml'), RULE);
    const loaded = await loadRules([d]);
    expect(loaded.map((r) => [path.basename(r.path), r.status])).toEqual([
      ['x.yml', 'invalid'],
      ['y.yml', 'ok'],
    ]);
    expect(loaded[0]!.reason).toBe('cannot read: a FIFO, not a regular file');
    // Named directly, too.
    expect((await loadRules([path.join(d, 'x.yml')]))[0]!.reason).toMatch(/a FIFO/);
  });

  it('a symlink to /dev/zero is refused as a device; a symlink to a rule loads', async () => {
    const d = await dir();
    await symlink('/dev/zero', path.join(d, 'zero.yml'));
    await writeFile(path.join(d, 'real.txt'), RULE);
    await symlink(path.join(d, 'real.txt'), path.join(d, 'link.yml'));
    const loaded = await loadRules([d]);
    expect(loaded.map((r) => [path.basename(r.path), r.status, r.reason])).toEqual([
      ['link.yml', 'ok', ''],
      ['zero.yml', 'invalid', 'cannot read: a character device, not a regular file'],
    ]);
  });

  it('a file over the size limit is refused without reading it', async () => {
    const d = await dir();
    await writeFile(path.join(d, 'big.yml'), `${RULE}# ${'x'.repeat(2000)}\n`);
    const [r] = await loadRules([d], { maxFileBytes: 1000 });
    expect(r!.status).toBe('invalid');
    expect(r!.reason).toMatch(/^file is larger than 1000 bytes \(\d+ bytes\)/);
  });

  it('non-UTF-8 bytes are refused with their place, not turned into U+FFFD', async () => {
    const d = await dir();
    const bytes = Buffer.concat([Buffer.from(RULE.replace('/curl', '/cu')), Buffer.from([0xff, 0x72, 0x6c, 0x0a])]);
    await writeFile(path.join(d, 'latin.yml'), Buffer.from(RULE.replace('/curl', '/c\xe9rl'), 'latin1'));
    await writeFile(path.join(d, 'tail.yml'), bytes);
    const loaded = await loadRules([d]);
    expect(loaded.map((r) => r.status)).toEqual(['invalid', 'invalid']);
    expect(loaded[0]!.reason).toMatch(/^not UTF-8: invalid byte 0xe9 at byte \d+ \(line 5\)$/);
    expect(loaded[1]!.reason).toMatch(/^not UTF-8: invalid byte 0xff/);
  });

  it('Ctrl-C (an aborted signal) stops loading between files', async () => {
    const d = await dir();
    await writeFile(path.join(d, 'a.yml'), RULE);
    const controller = new AbortController();
    controller.abort();
    await expect(loadRules([d], { signal: controller.signal })).rejects.toThrow(/abort/i);
  });
});

describe('YAML without end', () => {
  it('100k nested [ and { are a named error, not a crash of the YAML library', () => {
    for (const text of [`a: ${'['.repeat(100_000)}${']'.repeat(100_000)}`, `a: ${'{a: '.repeat(20_000)}1${'}'.repeat(20_000)}`]) {
      const [r] = loadRulesFromText(text);
      expect(r!.status).toBe('invalid');
      expect(r!.reason).toMatch(/^YAML nests deeper than 64 levels/);
    }
    // Brackets inside quotes and block scalars are text.
    const quoted = loadRulesFromText(`${RULE}description: '${'['.repeat(200)}'\nnotes: |\n  ${'{'.repeat(200)}\n`);
    expect(quoted[0]!.status).toBe('ok');
  });

  it('deep block nesting and alias expansion are bounded', () => {
    let text = '';
    for (let i = 0; i < 300; i++) text += `${' '.repeat(i)}a:\n`;
    expect(loadRulesFromText(text)[0]!.reason).toMatch(/YAML nests deeper than 64 levels \(line 130 is indented/);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n');
    const [r] = loadRulesFromText(bomb);
    expect(r!.status).toBe('invalid');
    expect(r!.reason).toMatch(/YAML: .*alias/i);
  });
});

describe('a rule with 100k values', () => {
  const values = Array.from({ length: 100_000 }, (_, i) => `/opt/some/long/path/to/binary-${i}-xxxxxxxxxx`);

  it('compiles, matches, and its automaton takes memory proportional to the needles', () => {
    const text = `title: big\nlogsource: { category: process_creation, product: linux }\ndetection:\n  sel:\n    Image|endswith:\n${values.map((v) => `      - '${v}'`).join('\n')}\n  condition: sel\n`;
    expect(text.length).toBeGreaterThan(5_000_000);
    const [r] = loadRulesFromText(text);
    expect(r!.status).toBe('ok');
    const set = new RuleSet([r!]);
    const event = (exe: string) => ({ kind: 'process.exec', time: 1, seq: 1, platform: 'linux', source: 'replay', process: { pid: 1, ppid: 0, exe, args: [], cmdline: '' } }) as never;
    expect(set.match(event('/x/opt/some/long/path/to/binary-99999-xxxxxxxxxx'))).toHaveLength(1);
    expect(set.match(event('/opt/some/long/path/to/binary-100000-xxxxxxxxxx'))).toHaveLength(0);
    // The dense table would be states × alphabet (≈ 1.2M × 29 × 4 bytes = 140 MB).
    const chars = values.reduce((n, v) => n + v.length, 0);
    const automaton = new AhoCorasick(values);
    expect(automaton.byteSize).toBeLessThanOrEqual(20 * chars);
    expect(new AhoCorasick(values.slice(0, 100)).byteSize).toBeGreaterThan(0);
  });
});
