/**
 * Staged rollout of content updates. Every host falls in a deterministic ring 0–99 per
 * pack, from a hash of its host id and the pack name; a new version reaches a host only
 * when its ring is below the canary percentage, so an operator can send a rule update to
 * 1 % of the fleet, watch, then widen it. An operator pin overrides the ring for one host
 * (hold back a bad update, or force a fix).
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import semver from 'semver';
import { InvalidArgumentError } from '@edrkit/core';

/** The operator's rollout policy for one content pack on one host. */
export interface RolloutPolicy {
  /** Stable host identity (default {@link defaultHostId}). */
  hostId: string;
  /** Share of hosts (0–100) that take a new version before it is promoted to stable. */
  canaryPercent: number;
  /** Use exactly this version, whatever the ring says. */
  pin?: string | undefined;
}

/** Input of {@link chooseContentVersion}. */
export interface ContentVersions {
  /** Pack name (part of the ring hash, so one host is not canary for every pack). */
  name: string;
  /** Version promoted to the whole fleet, if any. */
  stable?: string | undefined;
  /** Newest version, being rolled out. */
  candidate?: string | undefined;
  /** Versions verified and installed on this host (a pin must be one of them). */
  available: readonly string[];
}

/** Which version a host uses and why. */
export interface RolloutDecision {
  version: string | undefined;
  reason: 'pin' | 'canary' | 'stable' | 'none';
  /** This host's ring (0–99) for the pack. */
  ring: number;
}

/** This host's id: `/etc/machine-id` where present, else the host name. */
export function defaultHostId(): string {
  for (const file of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    try {
      const id = readFileSync(file, 'utf8').trim();
      if (id) return id;
    } catch {
      // not Linux, or not readable: fall through
    }
  }
  return os.hostname();
}

/** Deterministic ring 0–99 of `hostId` for pack `name` (SHA-256, first 32 bits, mod 100). */
export function rolloutRing(hostId: string, name: string): number {
  const hash = createHash('sha256').update(`${name}\0${hostId}`).digest();
  return hash.readUInt32BE(0) % 100;
}

/**
 * Choose the content version for this host: the pin if set, the candidate if the host is in
 * the canary ring, else the stable version.
 * @throws {@link @edrkit/core!InvalidArgumentError} for a percentage outside 0–100 or a pin that is not available.
 */
export function chooseContentVersion(versions: ContentVersions, policy: RolloutPolicy): RolloutDecision {
  const { canaryPercent } = policy;
  if (!Number.isFinite(canaryPercent) || canaryPercent < 0 || canaryPercent > 100) {
    throw new InvalidArgumentError(`canaryPercent must be between 0 and 100, got ${canaryPercent}`);
  }
  const ring = rolloutRing(policy.hostId, versions.name);
  if (policy.pin !== undefined) {
    if (!versions.available.includes(policy.pin)) {
      throw new InvalidArgumentError(`pinned version ${policy.pin} of ${versions.name} is not installed (available: ${versions.available.join(', ') || 'none'})`);
    }
    return { version: policy.pin, reason: 'pin', ring };
  }
  const { candidate, stable } = versions;
  const candidateNewer = candidate !== undefined && (stable === undefined || semver.gt(candidate, stable));
  if (candidateNewer && ring < canaryPercent) return { version: candidate, reason: 'canary', ring };
  if (stable !== undefined) return { version: stable, reason: 'stable', ring };
  return { version: undefined, reason: 'none', ring };
}
