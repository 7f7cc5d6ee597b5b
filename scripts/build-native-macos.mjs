#!/usr/bin/env node
/**
 * `npm run build:native -w @edrkit/macos`: builds the Endpoint Security addon
 * (native/macos → packages/macos/build/Release/edrkit_macos.node) with node-gyp. macOS only
 * (Xcode command line tools; the SDK's EndpointSecurity framework): on every other OS it does
 * nothing, so installing or setting up edrkit on Linux or Windows never builds or needs it.
 * The addon runs only in a program signed with Apple's Endpoint Security entitlement; without
 * one, use the macos-eslogger backend, which needs no build.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (process.platform !== 'darwin') {
  console.log('build-native-macos: not macOS, nothing to build for @edrkit/macos');
  process.exit(0);
}
const r = spawnSync('npx', ['--no-install', 'node-gyp', 'rebuild'], { cwd: path.join(root, 'packages/macos'), stdio: 'inherit' });
if (r.status !== 0) {
  console.error(`build-native-macos: node-gyp failed (exit ${r.status ?? r.signal}); it needs the Xcode command line tools ('xcode-select --install')`);
  process.exit(1);
}
console.log('build-native-macos: done (packages/macos/build/Release/edrkit_macos.node)');
