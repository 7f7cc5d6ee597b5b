/**
 * The Sigma specification's own examples (sigma-rules-specification.md and the
 * modifiers appendix), as rules evaluated over plain records.
 */
import { describe, expect, it } from 'vitest';
import { loadRulesFromText, type LoadedRule } from './load.js';
import type { CompiledRule } from './rule.js';
import { base64, utf16le } from './encode.js';

function load(detection: string, extra = '', options: Parameters<typeof loadRulesFromText>[1] = {}): LoadedRule {
  const text = `title: Test\nid: 929a690e-bef0-4204-a928-ef5e620d6fcc\nlogsource:\n    category: process_creation\n    product: windows\n${extra}detection:\n${detection}`;
  const [r] = loadRulesFromText(text, options);
  return r!;
}

function rule(detection: string, options: Parameters<typeof loadRulesFromText>[1] = {}): CompiledRule {
  const r = load(detection, '', options);
  if (!r.compiled) throw new Error(`${r.status}: ${r.reason}`);
  return r.compiled;
}

describe('spec: simple rule example (Whoami Execution)', () => {
  const text = `title: Whoami Execution
description: Detects a whoami.exe execution
references:
      - https://speakerdeck.com/heirhabarov/hunting-for-privilege-escalation-in-windows-environment
author: Florian Roth
date: 2019-10-23
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image: 'C:\\Windows\\System32\\whoami.exe'
    condition: selection
level: high
`;
  it('loads and matches case-insensitively', () => {
    const [r] = loadRulesFromText(text);
    expect(r?.status).toBe('ok');
    expect(r?.compiled?.level).toBe('high');
    expect(r?.compiled?.matchRecord({ Image: 'C:\\Windows\\System32\\whoami.exe' })).toBe(true);
    expect(r?.compiled?.matchRecord({ Image: 'c:\\windows\\system32\\WHOAMI.EXE' })).toBe(true);
    expect(r?.compiled?.matchRecord({ Image: 'C:\\Windows\\System32\\cmd.exe' })).toBe(false);
    expect(r?.compiled?.matchRecord({})).toBe(false);
  });
});

describe('spec: lists and maps', () => {
  it('list of strings: keywords linked with OR over the whole event', () => {
    const r = rule(`    keywords:\n        - 'EVILSERVICE'\n        - 'svchost.exe -n evil'\n    condition: keywords\n`);
    expect(r.matchRecord({ Message: 'Service EvilService installed' })).toBe(true);
    expect(r.matchRecord({ CommandLine: 'C:\\x\\svchost.exe -n evil' })).toBe(true);
    expect(r.matchRecord({ Message: 'good service' })).toBe(false);
  });

  it('list of maps: OR of the maps', () => {
    const r = rule(`    selection:\n        - Image|endswith: '\\\\example.exe'\n        - Description|contains: 'Test executable'\n    condition: selection\n`);
    expect(r.matchRecord({ Image: 'C:\\bin\\example.exe' })).toBe(true);
    expect(r.matchRecord({ Description: 'A Test Executable here' })).toBe(true);
    expect(r.matchRecord({ Image: 'C:\\bin\\other.exe', Description: 'x' })).toBe(false);
  });

  it('map: AND of its items; a value list is OR (EventLog Security and EventID 517 or 1102)', () => {
    const r = rule(`    selection:\n        EventLog: Security\n        EventID:\n            - 517\n            - 1102\n    condition: selection\n`);
    expect(r.matchRecord({ EventLog: 'Security', EventID: 517 })).toBe(true);
    expect(r.matchRecord({ EventLog: 'security', EventID: '1102' })).toBe(true);
    expect(r.matchRecord({ EventLog: 'Security', EventID: 4624 })).toBe(false);
    expect(r.matchRecord({ EventLog: 'System', EventID: 517 })).toBe(false);
  });

  it('map with quoted hex strings (TicketOptions 0x40810000)', () => {
    const r = rule(`    selection:\n          EventLog: Security\n          EventID: 4769\n          TicketOptions: '0x40810000'\n          TicketEncryption: '0x17'\n    condition: selection\n`);
    expect(r.matchRecord({ EventLog: 'Security', EventID: 4769, TicketOptions: '0x40810000', TicketEncryption: '0x17' })).toBe(true);
    expect(r.matchRecord({ EventLog: 'Security', EventID: 4769, TicketOptions: '0x40810000', TicketEncryption: '0x12' })).toBe(false);
  });
});

describe('spec: special field values', () => {
  it("'' is the empty value and null means the field is absent (selection and not filter)", () => {
    const r = rule(`    selection:\n        EventID: 4738\n    filter:\n        PasswordLastSet: null\n    condition: selection and not filter\n`);
    expect(r.matchRecord({ EventID: 4738, PasswordLastSet: '2020-01-01' })).toBe(true);
    expect(r.matchRecord({ EventID: 4738 })).toBe(false);
    expect(r.matchRecord({ EventID: 4738, PasswordLastSet: null })).toBe(false);
  });

  it('valid example: empty and null in separate selections', () => {
    const r = rule(
      `    selection_main:\n        FieldA: 'something'\n    selection_empty1:\n        FieldB: ''\n    selection_empty2:\n        FieldB: null\n    condition: selection_main and 1 of selection_empty*\n`,
    );
    expect(r.matchRecord({ FieldA: 'something', FieldB: '' })).toBe(true);
    expect(r.matchRecord({ FieldA: 'something' })).toBe(true);
    expect(r.matchRecord({ FieldA: 'something', FieldB: 'x' })).toBe(false);
  });

  it('invalid example: null inside a value list', () => {
    const r = load(`    selection_main:\n        FieldA: 'something'\n        FieldB:\n            - ''\n            - null\n    condition: selection_main\n`);
    expect(r.status).toBe('invalid');
    expect(r.reason).toMatch(/null cannot be part of a value list/);
  });

  it('field existence with |exists', () => {
    const r = rule(`    selection:\n        EventID: 4738\n        PasswordLastSet|exists: true\n    condition: selection\n`);
    expect(r.matchRecord({ EventID: 4738, PasswordLastSet: '' })).toBe(true);
    expect(r.matchRecord({ EventID: 4738 })).toBe(false);
    const absent = rule(`    selection:\n        PasswordLastSet|exists: false\n    condition: selection\n`);
    expect(absent.matchRecord({})).toBe(true);
    expect(absent.matchRecord({ PasswordLastSet: 'x' })).toBe(false);
  });
});

describe('spec: keywords with |all', () => {
  it('all keywords must appear', () => {
    const r = rule(`    keywords_cmdlet:\n        '|all':\n            - 'OabVirtualDirectory'\n            - ' -ExternalUrl '\n    condition: keywords_cmdlet\n`);
    expect(r.matchRecord({ Payload: 'Set-OabVirtualDirectory -ExternalUrl http://x' })).toBe(true);
    expect(r.matchRecord({ Payload: 'Set-OabVirtualDirectory -InternalUrl http://x' })).toBe(false);
  });
});

describe('spec: placeholders', () => {
  it('without expand, %name% is a literal value', () => {
    const r = rule(`    selection:\n        field: '%name%'\n    condition: selection\n`);
    expect(r.matchRecord({ field: '%name%' })).toBe(true);
    expect(r.matchRecord({ field: 'x' })).toBe(false);
  });

  it('with expand, placeholders take their values; \\% is a plain percent', () => {
    const placeholders = { Servers: ['srv*', 'dc1'], name: ['X'] };
    const r = rule(`    selection:\n        Computer|expand: '%Servers%'\n    condition: selection\n`, { placeholders });
    expect(r.matchRecord({ Computer: 'SRV-01' })).toBe(true);
    expect(r.matchRecord({ Computer: 'dc1' })).toBe(true);
    expect(r.matchRecord({ Computer: 'ws1' })).toBe(false);
    const esc = rule(`    selection:\n        field|expand: '\\%plain%name%'\n    condition: selection\n`, { placeholders });
    expect(esc.matchRecord({ field: '%plainX' })).toBe(true);
  });

  it('a placeholder without values makes the rule unsupported (the spec says: reject it)', () => {
    const r = load(`    selection:\n        Computer|expand: '%Administrators%'\n    condition: selection\n`);
    expect(r.status).toBe('unsupported');
    expect(r.reason).toMatch(/%Administrators% has no values/);
  });
});

describe('modifiers appendix', () => {
  const one = (key: string, value: string, options = {}) => rule(`    selection:\n        ${key}: ${value}\n    condition: selection\n`, options);

  it('contains, startswith, endswith', () => {
    expect(one('CommandLine|contains', "'mimikatz'").matchRecord({ CommandLine: 'run MimiKatz.exe' })).toBe(true);
    expect(one('CommandLine|startswith', "'adm'").matchRecord({ CommandLine: 'ADMIN' })).toBe(true);
    expect(one('CommandLine|startswith', "'adm'").matchRecord({ CommandLine: 'xadm' })).toBe(false);
    expect(one('Image|endswith', "'\\cmd.exe'").matchRecord({ Image: 'C:\\Windows\\CMD.EXE' })).toBe(true);
    expect(one('Image|endswith', "'\\cmd.exe'").matchRecord({ Image: 'C:\\Windows\\xcmd.exe' })).toBe(false);
  });

  it('all links a value list with AND', () => {
    const r = one('CommandLine|contains|all', "['-nop', '-enc']");
    expect(r.matchRecord({ CommandLine: 'powershell -enc AAA -nop' })).toBe(true);
    expect(r.matchRecord({ CommandLine: 'powershell -enc AAA' })).toBe(false);
  });

  it('cased makes matching case-sensitive', () => {
    const r = one('CommandLine|contains|cased', "'-O'");
    expect(r.matchRecord({ CommandLine: 'wget -O x' })).toBe(true);
    expect(r.matchRecord({ CommandLine: 'wget -o x' })).toBe(false);
  });

  it('neq: the field differs from every value', () => {
    const r = one('User|neq', "['root', 'admin']");
    expect(r.matchRecord({ User: 'bob' })).toBe(true);
    expect(r.matchRecord({ User: 'ROOT' })).toBe(false);
  });

  it('windash: -, /, en dash, em dash and horizontal bar are interchangeable flag prefixes', () => {
    const r = one('CommandLine|windash|contains', "' -exec bypass'");
    for (const dash of ['-', '/', '\u2013', '\u2014', '\u2015']) expect(r.matchRecord({ CommandLine: `powershell ${dash}exec bypass` }), dash).toBe(true);
    expect(r.matchRecord({ CommandLine: 'powershell +exec bypass' })).toBe(false);
    // A dash inside a word is not a flag and stays literal.
    const w = one('CommandLine|windash|contains', "'a-b'");
    expect(w.matchRecord({ CommandLine: 'a/b' })).toBe(false);
  });

  it('re: case-sensitive by default; i, m and s sub-modifiers', () => {
    expect(one('CommandLine|re', "'\\s-O\\s'").matchRecord({ CommandLine: 'wget -O /tmp/x' })).toBe(true);
    expect(one('CommandLine|re', "'\\s-O\\s'").matchRecord({ CommandLine: 'wget -o /tmp/x' })).toBe(false);
    expect(one('CommandLine|re|i', "'\\s-O\\s'").matchRecord({ CommandLine: 'wget -o /tmp/x' })).toBe(true);
    expect(one('Data|re', "'^b$'").matchRecord({ Data: 'a\nb\nc' })).toBe(false);
    expect(one('Data|re|m', "'^b$'").matchRecord({ Data: 'a\nb\nc' })).toBe(true);
    expect(one('Data|re', "'a.b'").matchRecord({ Data: 'a\nb' })).toBe(false);
    expect(one('Data|re|s', "'a.b'").matchRecord({ Data: 'a\nb' })).toBe(true);
    // A leading PCRE (?i) becomes the i flag.
    expect(one('Data|re', "'(?i)abc'").matchRecord({ Data: 'xABCx' })).toBe(true);
    // re matches anywhere unless anchored, and wildcards are regex syntax, not Sigma's.
    expect(one('Data|re', "'b*'").matchRecord({ Data: 'zzz' })).toBe(true);
  });

  it('base64 and base64offset (pySigma vectors)', () => {
    expect(one('Data|base64', "'foobar'").matchRecord({ Data: 'Zm9vYmFy' })).toBe(true);
    expect(one('Data|base64', "'foobar'").matchRecord({ Data: 'zm9vymfy' })).toBe(false);
    const off = one('Data|base64offset|contains', "'foobar'");
    for (const prefix of ['', 'x', 'xy', 'xyz']) {
      expect(off.matchRecord({ Data: base64(new TextEncoder().encode(`${prefix}foobar and more`)) }), prefix).toBe(true);
    }
    expect(off.matchRecord({ Data: base64(new TextEncoder().encode('foobaz')) })).toBe(false);
  });

  it('utf16le / wide / utf16be / utf16 before base64', () => {
    const wide = one('CommandLine|wide|base64offset|contains', "'ping'");
    expect(wide.matchRecord({ CommandLine: `powershell -enc ${base64(utf16le('cmd /c ping 1.1.1.1'))}` })).toBe(true);
    expect(wide.matchRecord({ CommandLine: `powershell -enc ${base64(new TextEncoder().encode('cmd /c ping'))}` })).toBe(false);
    expect(one('Data|utf16le|base64', "'cmd'").matchRecord({ Data: 'YwBtAGQA' })).toBe(true);
    expect(one('Data|utf16be|base64', "'cmd'").matchRecord({ Data: 'AGMAbQBk' })).toBe(true);
    expect(one('Data|utf16|base64', "'cmd'").matchRecord({ Data: '//5jAG0AZAA=' })).toBe(true);
  });

  it('lt, lte, gt, gte compare numbers', () => {
    expect(one('Count|lt', '5').matchRecord({ Count: 4 })).toBe(true);
    expect(one('Count|lt', '5').matchRecord({ Count: 5 })).toBe(false);
    expect(one('Count|lte', '5').matchRecord({ Count: '5' })).toBe(true);
    expect(one('Count|gt', '5').matchRecord({ Count: 6 })).toBe(true);
    expect(one('Count|gte', '5').matchRecord({ Count: 4 })).toBe(false);
    expect(one('Count|gte', '5').matchRecord({})).toBe(false);
  });

  it('time modifiers extract a number from a date', () => {
    expect(one('UtcTime|hour', '14').matchRecord({ UtcTime: '2025-12-25T14:30:27Z' })).toBe(true);
    expect(one('UtcTime|month|gte', '6').matchRecord({ UtcTime: '2025-12-25T14:30:27Z' })).toBe(true);
    expect(one('UtcTime|year', '2024').matchRecord({ UtcTime: '2025-12-25T14:30:27Z' })).toBe(false);
  });

  it('cidr: IPv4 and IPv6 ranges', () => {
    const r = one('DestinationIp|cidr', "['10.0.0.0/8', 'fe80::/10', '192.168.1.7']");
    expect(r.matchRecord({ DestinationIp: '10.1.2.3' })).toBe(true);
    expect(r.matchRecord({ DestinationIp: '::ffff:10.1.2.3' })).toBe(true);
    expect(r.matchRecord({ DestinationIp: 'fe80::1' })).toBe(true);
    expect(r.matchRecord({ DestinationIp: '192.168.1.7' })).toBe(true);
    expect(r.matchRecord({ DestinationIp: '11.0.0.1' })).toBe(false);
    expect(r.matchRecord({ DestinationIp: '2001:db8::1' })).toBe(false);
    expect(r.matchRecord({ DestinationIp: 'not an ip' })).toBe(false);
    expect(load(`    selection:\n        DestinationIp|cidr: '10.0.0.0/33'\n    condition: selection\n`).status).toBe('invalid');
  });

  it('fieldref compares two fields (also with neq)', () => {
    const r = one('ParentUser|fieldref', "'User'");
    expect(r.matchRecord({ User: 'A\\bob', ParentUser: 'a\\BOB' })).toBe(true);
    expect(r.matchRecord({ User: 'A\\bob', ParentUser: 'SYSTEM' })).toBe(false);
    expect(r.matchRecord({ User: 'A\\bob' })).toBe(false);
    expect(one('ParentUser|fieldref|neq', "'User'").matchRecord({ User: 'x', ParentUser: 'y' })).toBe(true);
  });

  it('an unknown modifier makes the rule invalid, naming it', () => {
    const r = load(`    selection:\n        Image|foobar: '\\cmd.exe'\n    condition: selection\n`);
    expect(r.status).toBe('invalid');
    expect(r.reason).toMatch(/unknown modifier 'foobar'/);
    expect(r.reason).toMatch(/detection\.selection\.Image\|foobar/);
  });
});

describe('values', () => {
  it('numbers match numbers and their decimal text; booleans match true/false text', () => {
    const r = rule(`    selection:\n        DestinationPort: 4444\n        Initiated: true\n    condition: selection\n`);
    expect(r.matchRecord({ DestinationPort: 4444, Initiated: 'true' })).toBe(true);
    expect(r.matchRecord({ DestinationPort: '4444', Initiated: true })).toBe(true);
    expect(r.matchRecord({ DestinationPort: 4445, Initiated: 'true' })).toBe(false);
  });

  it('list-valued fields match when any element matches', () => {
    const r = rule(`    selection:\n        Args: '--inode'\n    condition: selection\n`);
    expect(r.matchRecord({ Args: ['ls', '--inode'] })).toBe(true);
    expect(r.matchRecord({ Args: ['ls'] })).toBe(false);
  });

  it('condition lists are ORed', () => {
    const r = rule(`    a:\n        X: 1\n    b:\n        Y: 2\n    condition:\n        - a\n        - b\n`);
    expect(r.matchRecord({ Y: 2 })).toBe(true);
    expect(r.matchRecord({ Z: 2 })).toBe(false);
  });
});
