import { BackendTable, allKinds, currentPlatform, OBSERVABLE_KINDS, type BackendDescriptor } from '@edrkit/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useBackends } from '../backends.js';
import { gatherDoctorReport } from './doctor.js';

// A live backend for this platform that says it lacks its privilege and names the distribution:
// doctor reports what the descriptor says, whatever the uid is.
const fake: BackendDescriptor<Record<string, never>> = {
  id: 'fake-live',
  platform: currentPlatform() ?? 'linux',
  live: true,
  summary: 'test double',
  options: z.object({}).strict() as never,
  privilege: () => ({ needed: 'the fake entitlement', held: false, how: 'not granted' }),
  host: () => ({ distribution: 'Fakix 1.0' }),
  probe: async () => ({ id: 'fake-live', available: false, code: 'ERR_PERMISSION', reason: 'grant the fake entitlement', kinds: allKinds({ supported: false, reason: 'fake' }, OBSERVABLE_KINDS) }),
  create: () => {
    throw new Error('doctor must not create backends');
  },
};

describe('doctor', () => {
  it('asks each backend descriptor for its privilege and host facts', async () => {
    useBackends(new BackendTable().register(fake));
    const report = await gatherDoctorReport();
    expect(report.backends).toHaveLength(1);
    expect(report.backends[0]).toMatchObject({ id: 'fake-live', default: true, available: false, reason: 'grant the fake entitlement', privilege: { needed: 'the fake entitlement', held: false } });
    expect(report.os.distribution).toBe('Fakix 1.0');
    expect(report.user).not.toHaveProperty('root');
  });
});
