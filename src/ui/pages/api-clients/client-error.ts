// Messages for a refused new client that say what to change in the form's own terms (minutes, one entry per line).
import { ApiError, describeError } from '../../api/api-error.ts';
import { formatDuration } from '../../util/format.ts';

export function describeClientError(err: unknown): string {
  if (!(err instanceof ApiError)) return describeError(err);
  switch (err.code) {
    case 'token_ttl_out_of_range': {
      const max = err.details?.['maxTokenTtl'];
      return typeof max === 'number' ? `Token lifetime must be from 1 minute to ${formatDuration(max)}.` : describeError(err);
    }
    case 'invalid_cidr':
      return `${describeError(err)} Write one address or CIDR range per line, for example 203.0.113.7 or 203.0.113.0/24.`;
    default:
      return describeError(err);
  }
}
