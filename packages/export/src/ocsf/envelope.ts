/**
 * The classification and context attributes every OCSF record carries.
 *
 * @module
 */
import type { EdrEvent } from '@edrkit/core';
import type { ExportOptions } from '../options.js';
import { losesPrecision, toIntegerMs } from '../time.js';
import type { Leftovers } from '../unmapped.js';
import { SEVERITY, type OcsfClassInfo } from './catalog.js';
import { ocsfDevice, ocsfMetadata } from './objects.js';
import type { OcsfBase } from './types.js';

/**
 * The attributes shared by every class: uids and their captions, `type_uid = class_uid * 100 +
 * activity_id`, severity, integer time, metadata, device. The exact fractional time is kept
 * in `unmapped.time` because OCSF `time` is whole milliseconds.
 */
export function ocsfEnvelope(
  event: EdrEvent,
  cls: OcsfClassInfo,
  activityId: number,
  options: ExportOptions,
  left: Leftovers,
  severity: keyof typeof SEVERITY = 'informational',
): OcsfBase {
  const activityName = cls.activities[activityId] ?? 'Unknown';
  const [severityId, severityName] = SEVERITY[severity];
  if (losesPrecision(event.time)) left.add('time', event.time);
  if (options.includeRaw !== false) left.add('raw', event.raw);
  return {
    category_uid: cls.categoryUid,
    category_name: cls.categoryCaption,
    class_uid: cls.uid,
    class_name: cls.caption,
    activity_id: activityId,
    activity_name: activityName,
    type_uid: cls.uid * 100 + activityId,
    type_name: `${cls.caption}: ${activityName}`,
    severity_id: severityId,
    severity: severityName,
    time: toIntegerMs(event.time),
    metadata: ocsfMetadata(event, options),
    device: ocsfDevice(event, options),
  };
}
