import { hubErrors, type HubError } from '../errors.js';

/**
 * A query the hub refuses: 400 ArgumentInvalid (400004, "something in the request payload is
 * invalid" in the hub's public error-code list). The hub's own code for a query it cannot parse is
 * not documented; FIDELITY.md, "Queries", says so. Positions are 1-based characters of the query.
 */
export function invalidQuery(reason: string, position?: number): HubError {
  const where = position === undefined ? '' : ` (at character ${position + 1})`;
  return hubErrors.argumentInvalid(`Invalid query: ${reason}${where}.`);
}

/** The docs' limit ("Twin query limitations"): query expressions of at most 8192 characters. */
export const MAX_QUERY_LENGTH = 8192;
