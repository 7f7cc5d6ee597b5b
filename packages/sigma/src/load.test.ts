/**
 * Loading: the specification's schema test rules and pySigma's parser fixtures from the
 * corpus, Sigma 1 collections, and statuses with reasons.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { corpusLabel } from '../../../test/corpus.js';
import { loadRules, loadRulesFromText } from './load.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const CORPUS = process.env['EDRKIT_CORPUS'] ?? path.resolve(repoRoot, '../shared/corpus');
const SPEC = path.join(CORPUS, 'sigma-spec');
const haveSpec = existsSync(SPEC);

describe.skipIf(!haveSpec)(corpusLabel('sigma-spec corpus files', 'sigma-spec'), () => {
  it('schema test rules are valid (not-applicable: windows service / ecs network logs)', async () => {
    const loaded = await loadRules([path.join(SPEC, 'tests/schema/rules')]);
    expect(loaded).toHaveLength(2);
    for (const r of loaded) {
      expect(r.status, r.reason).toBe('not-applicable');
      expect(r.title).toBe('A Title');
    }
  });

  it('pySigma: a multi-document file gives two rules', () => {
    const file = path.join(SPEC, 'pysigma-test-files/tests/files/ruleset_nonduplicate/multiple_rules.yml');
    const loaded = loadRulesFromText(readFileSync(file, 'utf8'), { path: file });
    expect(loaded.map((r) => r.title)).toEqual(['Multiple Rules in one file 1', 'Multiple Rules in one file 2']);
    expect(loaded.map((r) => r.index)).toEqual([0, 1]);
    // category 'test' is no edrkit event, but each rule is still reported.
    expect(loaded.every((r) => r.status === 'not-applicable' && r.reason.includes("category 'test'"))).toBe(true);
  });

  it('pySigma: the rule with an unknown modifier is rejected', () => {
    const file = path.join(SPEC, 'pysigma-test-files/tests/files/ruleset_with_errors/test_rule_with_error.yml');
    const [r] = loadRulesFromText(readFileSync(file, 'utf8'), { path: file });
    expect(r?.status).toBe('invalid');
    expect(r?.reason).toMatch(/foobar/);
  });

  it('pySigma: valid rule, correlation rule and filter get precise statuses', async () => {
    const base = path.join(SPEC, 'pysigma-test-files/tests/files');
    const [valid] = await loadRules([path.join(base, 'rule_valid')]);
    expect(valid?.status).toBe('not-applicable');
    expect(valid?.reason).toMatch(/service 'codeintegrity-operational'/);
    const [baseRule, corr] = await loadRules([path.join(base, 'correlation_rule_valid')]);
    expect(baseRule?.status).toBe('not-applicable');
    expect(corr?.status).toBe('unsupported');
    expect(corr?.reason).toMatch(/correlation/);
    const [filter] = await loadRules([path.join(base, 'filter_valid')]);
    expect(filter?.status).toBe('unsupported');
    expect(filter?.reason).toMatch(/filter/);
  });
});

describe('collections (action: global / reset / repeat)', () => {
  const text = `action: global
title: Shared
logsource:
    product: linux
    category: process_creation
detection:
    condition: selection
---
id: 11111111-1111-4111-8111-111111111111
detection:
    selection:
        Image|endswith: /nc
---
action: repeat
id: 22222222-2222-4222-8222-222222222222
detection:
    selection:
        Image|endswith: /ncat
---
action: reset
---
title: Alone
logsource:
    category: process_creation
detection:
    selection:
        Image|endswith: /socat
    condition: selection
`;
  it('merges the global part into each rule and repeats the previous one', () => {
    const loaded = loadRulesFromText(text);
    expect(loaded.map((r) => [r.status, r.title, r.id])).toEqual([
      ['ok', 'Shared', '11111111-1111-4111-8111-111111111111'],
      ['ok', 'Shared', '22222222-2222-4222-8222-222222222222'],
      ['ok', 'Alone', undefined],
    ]);
    expect(loaded[0]!.compiled!.matchRecord({ Image: '/usr/bin/nc' })).toBe(true);
    expect(loaded[1]!.compiled!.matchRecord({ Image: '/usr/bin/ncat' })).toBe(true);
    expect(loaded[2]!.compiled!.platforms).toEqual(['linux', 'macos', 'windows']);
  });
});

describe('statuses and reasons', () => {
  it('bad YAML in one document does not stop the others', () => {
    const loaded = loadRulesFromText(`title: A\nlogsource: {category: process_creation}\ndetection: {s: {Image: x}, condition: s}\n---\ntitle: [unclosed\n---\ntitle: C\nlogsource: {category: process_creation}\ndetection: {s: {Image: y}, condition: s}\n`);
    expect(loaded.map((r) => r.status)).toEqual(['ok', 'invalid', 'ok']);
    expect(loaded[1]!.reason).toMatch(/^YAML: .*line/);
  });

  it.each([
    ['no title', 'logsource: {category: process_creation}\ndetection: {s: {a: 1}, condition: s}', /title: missing/],
    ['no logsource', 'title: x\ndetection: {s: {a: 1}, condition: s}', /logsource: missing/],
    ['no detection', 'title: x\nlogsource: {category: process_creation}', /detection: missing/],
    ['no condition', 'title: x\nlogsource: {category: process_creation}\ndetection: {s: {a: 1}}', /condition: missing/],
    ['bad level', 'title: x\nlevel: urgent\nlogsource: {category: process_creation}\ndetection: {s: {a: 1}, condition: s}', /level: 'urgent'/],
    ['duplicate key', 'title: x\ntitle: y\nlogsource: {category: process_creation}\ndetection: {s: {a: 1}, condition: s}', /YAML: .*[Uu]nique|YAML: .*duplicate/i],
    ['a list', '- a\n- b', /must be a YAML map/],
    ['empty selection', 'title: x\nlogsource: {category: process_creation}\ndetection: {s: {}, condition: s}', /empty map/],
  ])('%s is invalid with a reason', (_name, text, reason) => {
    const [r] = loadRulesFromText(text);
    expect(r?.status).toBe('invalid');
    expect(r?.reason).toMatch(reason);
  });

  it('log sources edrkit does not observe are not-applicable with the reason', () => {
    const mk = (ls: string) => loadRulesFromText(`title: x\nlogsource: ${ls}\ndetection: {s: {a: 1}, condition: s}`)[0]!;
    expect(mk('{product: linux, service: auditd}').reason).toMatch(/auditd.*does not read/);
    expect(mk('{product: linux}').reason).toMatch(/no category/);
    expect(mk('{product: aws, service: cloudtrail}').reason).toMatch(/product 'aws'/);
    expect(mk('{product: windows, category: raw_access_thread}').reason).toMatch(/category 'raw_access_thread' has no edrkit event/);
    expect(mk('{product: linux, category: registry_set}').status).toBe('not-applicable');
    expect(mk('{product: windows, category: registry_set}').status).toBe('ok');
  });

  it('rules declaring status: unsupported are unsupported; timeframe is unsupported', () => {
    expect(loadRulesFromText('title: x\nstatus: unsupported\nlogsource: {category: process_creation}\ndetection: {s: {a: 1}, condition: s}')[0]!.status).toBe('unsupported');
    expect(loadRulesFromText('title: x\nlogsource: {category: process_creation}\ndetection: {s: {a: 1}, condition: s, timeframe: 5m}')[0]!.status).toBe('unsupported');
  });

  it('a path that does not exist is an argument error naming it', async () => {
    await expect(loadRules(['/nonexistent/rules'])).rejects.toThrow(/cannot read rules from '\/nonexistent\/rules': no such file/);
  });
});

describe('fuzz: untrusted rule text never crashes the loader', () => {
  it('arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const loaded = loadRulesFromText(text);
        for (const r of loaded) expect(['ok', 'not-applicable', 'unsupported', 'invalid']).toContain(r.status);
      }),
      { numRuns: 300 },
    );
  });

  it('rule-shaped documents with random detections and conditions', () => {
    const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));
    const key = fc.tuple(fc.constantFrom('Image', 'CommandLine', '', 'X'), fc.array(fc.constantFrom('contains', 'all', 're', 'i', 'base64offset', 'wide', 'windash', 'cidr', 'exists', 'gt', 'cased', 'neq', 'fieldref', 'expand', 'bogus'), { maxLength: 3 })).map(([f, m]) => [f, ...m].join('|'));
    const selection = fc.oneof(fc.dictionary(key, fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })), { maxKeys: 3 }), fc.array(scalar, { maxLength: 3 }));
    const condition = fc.array(fc.constantFrom('sel', 'flt', 'and', 'or', 'not', '(', ')', '1', 'all', 'of', 'them', 'sel*', '|', 'count()'), { minLength: 1, maxLength: 8 }).map((t) => t.join(' '));
    fc.assert(
      fc.property(selection, selection, condition, (sel, flt, cond) => {
        const text = JSON.stringify({ title: 't', logsource: { category: 'process_creation' }, detection: { sel, flt, condition: cond } });
        const [r] = loadRulesFromText(text);
        expect(r).toBeDefined();
        if (r!.status === 'ok') {
          expect(typeof r!.compiled!.matchRecord({ Image: 'a', CommandLine: 'b', X: 1 })).toBe('boolean');
        } else expect(r!.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});
