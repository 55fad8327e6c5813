import { etagForVersion, ifMatchSatisfied } from '../etag.js';
import { dpsErrors, type DpsError } from './dps-errors.js';

interface Revisioned {
  readonly revision: number;
}

/**
 * Enrollments, groups or registration states by id, compared without regard to case as DPS compares
 * registration ids (docs, "DPS terminology"), in creation order. The etag rules of the service API
 * (wire notes §8.4): a PUT over an existing entry needs its etag (or `*`) in If-Match, else 409 as
 * the service answers (azure-iot-sdk-csharp#3076); a stale etag is 412.
 */
export class EtaggedStore<Entry extends Revisioned> {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly notFound: (id: string) => DpsError) {}

  find(id: string): Entry | undefined {
    return this.entries.get(id.toLowerCase());
  }

  get(id: string): Entry {
    const entry = this.find(id);
    if (entry === undefined) throw this.notFound(id);
    return entry;
  }

  all(): Entry[] {
    return [...this.entries.values()];
  }

  /** Checks a replacing PUT: returns the entry it replaces (undefined for a new one). */
  assertReplaceable(id: string, ifMatch: string | undefined): Entry | undefined {
    const current = this.find(id);
    if (current === undefined) return undefined;
    if (ifMatch === undefined) throw dpsErrors.conflict(id);
    if (!ifMatchSatisfied(ifMatch, etagForVersion(current.revision))) throw dpsErrors.preconditionFailed(id);
    return current;
  }

  set(id: string, entry: Entry): void {
    this.entries.set(id.toLowerCase(), entry);
  }

  delete(id: string, ifMatch: string | undefined): Entry {
    const current = this.get(id);
    if (!ifMatchSatisfied(ifMatch, etagForVersion(current.revision))) throw dpsErrors.preconditionFailed(id);
    this.entries.delete(id.toLowerCase());
    return current;
  }

  clear(): void {
    this.entries.clear();
  }
}
