/**
 * OCSF mappings of `registry.*` to the Windows extension's Registry Key Activity (201001)
 * and Registry Value Activity (201002).
 *
 * @module
 */
import type { EventOfKind, Registry } from '@edrkit/core';
import type { ExportOptions } from '../options.js';
import { canonicalRegType, isStringRegType, parseRegInteger } from '../registry-data.js';
import type { Leftovers } from '../unmapped.js';
import { OCSF_CLASSES, REG_VALUE_TYPE, WINDOWS_EXTENSION } from './catalog.js';
import { ocsfEnvelope } from './envelope.js';
import { ocsfActor } from './system.js';
import type { OcsfRegValue, OcsfRegistryKeyActivity, OcsfRegistryValueActivity } from './types.js';

type RegistryKind = 'registry.set' | 'registry.create' | 'registry.delete' | 'registry.rename';

/**
 * An OCSF `reg_value`. The unnamed (default) value gets `name: ''` and `is_default: true`;
 * data goes to the typed attribute OCSF asks for when the type is known (`reg_string_data`,
 * `reg_integer_data`), otherwise to `data`.
 */
function regValue(reg: Registry, left: Leftovers): OcsfRegValue {
  const type = canonicalRegType(reg.dataType);
  const typeId = type !== undefined ? REG_VALUE_TYPE[type] : undefined;
  const value: OcsfRegValue = {
    path: reg.key,
    name: reg.value ?? '',
    is_default: reg.value === undefined || reg.value === '' ? true : undefined,
    // OCSF wants `type` to be the caption of `type_id` (REG_DWORD), so a backend's spelling is normalised.
    type: typeId !== undefined ? type : reg.dataType,
    type_id: typeId,
  };
  if (typeId !== undefined && type !== reg.dataType) left.add('registry.dataType', reg.dataType);
  if (reg.data !== undefined) {
    const int = parseRegInteger(type, reg.data);
    if (int !== undefined) value.reg_integer_data = int;
    else if (isStringRegType(type)) value.reg_string_data = reg.data;
    else value.data = reg.data;
  }
  return value;
}

/**
 * `registry.set` -> Registry Value Activity: Set. `registry.delete` with a value -> Registry
 * Value Activity: Delete; without -> Registry Key Activity: Delete. `registry.create` ->
 * Registry Key Activity: Create. `registry.rename` -> Registry Key Activity: Rename with
 * `reg_key` the new name and `prev_reg_key` the old one.
 */
export function registryActivity(
  event: EventOfKind<RegistryKind>,
  options: ExportOptions,
  left: Leftovers,
): OcsfRegistryKeyActivity | OcsfRegistryValueActivity {
  const actor = ocsfActor(event, left);
  const reg = event.registry;
  const onValue = event.kind === 'registry.set' || (event.kind === 'registry.delete' && reg.value !== undefined);
  if (onValue) {
    const activityId = event.kind === 'registry.set' ? 2 : 4;
    const base = ocsfEnvelope(event, OCSF_CLASSES.registryValueActivity, activityId, options, left);
    return {
      ...base,
      class_uid: 201002,
      metadata: { ...base.metadata, extensions: [{ ...WINDOWS_EXTENSION }] },
      actor,
      reg_value: regValue(reg, left),
    };
  }
  // Key activities: a value name or data on a key event has no attribute of its own.
  left.add('registry.value', reg.value);
  left.add('registry.data', reg.data);
  left.add('registry.dataType', reg.dataType);
  const activityId = event.kind === 'registry.create' ? 1 : event.kind === 'registry.delete' ? 4 : 5;
  const base = ocsfEnvelope(event, OCSF_CLASSES.registryKeyActivity, activityId, options, left);
  const target = event.kind === 'registry.rename' ? event.target : undefined;
  return {
    ...base,
    class_uid: 201001,
    metadata: { ...base.metadata, extensions: [{ ...WINDOWS_EXTENSION }] },
    actor,
    reg_key: { path: target?.key ?? reg.key },
    prev_reg_key: target ? { path: reg.key } : undefined,
  };
}
