import { describeValue } from './describe-value.js';
import type { JobSpec, OperationMap } from './job.js';
import { KwqmError } from './kwqm-error.js';
import { isPriority } from './priority.js';

function invalidJob(field: string, expectation: string, value: unknown): KwqmError {
  return new KwqmError(
    'INVALID_JOB',
    `Expected \`${field}\` to be ${expectation}, got ${describeValue(value)}`,
    {
      details: { field },
    },
  );
}

/** Checks what a producer submitted; throws `INVALID_JOB`. The spec itself is never modified. */
export function validateJobSpec(spec: unknown): asserts spec is JobSpec<OperationMap> {
  if (typeof spec !== 'object' || spec === null) throw invalidJob('spec', 'an object', spec);
  const { operation, priority, label } = spec as Record<string, unknown>;
  if (typeof operation !== 'string' || operation.length === 0) {
    throw invalidJob('operation', 'a non-empty string', operation);
  }
  if (priority !== undefined && !isPriority(priority)) {
    throw invalidJob('priority', "one of 'high', 'medium', 'low'", priority);
  }
  if (label !== undefined && typeof label !== 'string') {
    throw invalidJob('label', 'a string', label);
  }
}

/** Checks a priority passed to a management call; throws `INVALID_JOB`. */
export function validatePriority(priority: unknown): void {
  if (!isPriority(priority)) throw invalidJob('priority', "one of 'high', 'medium', 'low'", priority);
}
