import type { JobSnapshot } from '@kwqm/core';

/** A job snapshot for tests: defaults for every field, overridden by `fields`. Not part of the build. */
export function snapshot(fields: Partial<JobSnapshot> & Pick<JobSnapshot, 'id'>): JobSnapshot {
  return {
    operation: 'encrypt',
    params: { input: `/w/${fields.id}.txt` },
    priority: 'medium',
    state: 'queued',
    createdAt: 1,
    ...fields,
  };
}
