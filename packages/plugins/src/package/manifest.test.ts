import { describe, expect, it } from 'vitest';
import { PluginError } from '../errors.js';
import { parsePluginManifest } from './manifest.js';

const valid = {
  name: 'suspicious-shell',
  version: '1.2.3',
  entry: 'index.js',
  api: '^1.0.0',
  kinds: ['process.exec'],
  capabilities: ['alert'],
  configSchema: { type: 'object' },
  defaultConfig: {},
  files: { 'index.js': `sha256:${'0'.repeat(64)}` },
};

function messageOf(value: unknown): string {
  try {
    parsePluginManifest(JSON.stringify(value));
  } catch (error) {
    expect(error).toBeInstanceOf(PluginError);
    expect((error as PluginError).code).toBe('ERR_PLUGIN_MANIFEST');
    return (error as PluginError).message;
  }
  throw new Error('expected the manifest to be refused');
}

describe('plugin manifest', () => {
  it('accepts a valid manifest', () => {
    expect(parsePluginManifest(JSON.stringify(valid)).name).toBe('suspicious-shell');
  });

  it('names a missing field', () => {
    for (const field of Object.keys(valid)) {
      const { [field]: _, ...rest } = valid as Record<string, unknown>;
      expect(messageOf(rest)).toContain(field);
    }
  });

  it('names an extra field', () => {
    expect(messageOf({ ...valid, permissions: ['all'] })).toMatch(/unknown field\(s\) 'permissions'/);
  });

  it('names bad values: version, api range, kind, entry path, file digest', () => {
    expect(messageOf({ ...valid, version: 'one' })).toContain('version');
    expect(messageOf({ ...valid, api: 'not a range!' })).toContain('api');
    expect(messageOf({ ...valid, kinds: ['process.spawn'] })).toContain('kinds');
    expect(messageOf({ ...valid, entry: '../evil.js', files: { '../evil.js': valid.files['index.js'] } })).toContain('entry');
    expect(messageOf({ ...valid, files: { 'index.js': 'md5:abc' } })).toContain('files');
    expect(messageOf({ ...valid, files: {} })).toMatch(/entry file 'index.js'/);
  });

  it('refuses non-JSON with a clear message', () => {
    expect(() => parsePluginManifest('{nope')).toThrow(/not valid JSON/);
  });
});
