import type { X509Certificate } from 'node:crypto';
import { ChangeFeed } from '../change-feed.js';
import type { Clock } from '../clock.js';
import type { KeyGenerator } from '../keys.js';
import type { IdentityRegistry } from '../registry.js';
import { EnrollmentBook } from './enrollment-book.js';
import type { ProvisioningChange } from './provisioning-changes.js';
import { RegistrationDesk } from './registration-desk.js';

/** The service API's all-permissions policy (docs, "Control access to DPS"): the one the emulator has. */
export const PROVISIONING_OWNER_POLICY = 'provisioningserviceowner';

export interface ProvisioningServiceOptions {
  readonly clock: Clock;
  /** The hub's registry: the one linked hub devices are assigned to. */
  readonly registry: IdentityRegistry;
  readonly linkedHub: string;
  readonly idScope: string;
  /** The provisioningserviceowner policy's primary key. */
  readonly serviceKey: string;
  readonly generateKey: KeyGenerator;
  readonly generateOperationId: () => string;
  /** The wait the device is told (seconds) before its first poll; the operation is `assigning` until then. */
  readonly retryAfterSeconds: number;
  /** The CA certificates an X.509 group's `caReferences` name stands for (registration-desk.ts). */
  readonly caReference?: (name: string) => readonly X509Certificate[];
}

/**
 * One Device Provisioning Service instance, pure state (no I/O, injected clock): its enrollments and
 * groups, the devices' registration states and operations, and the changes it announces.
 */
export class ProvisioningService {
  readonly changes = new ChangeFeed<ProvisioningChange>();
  readonly book: EnrollmentBook;
  readonly desk: RegistrationDesk;

  constructor(readonly options: ProvisioningServiceOptions) {
    this.book = new EnrollmentBook({ clock: options.clock, linkedHub: options.linkedHub, generateKey: options.generateKey, changes: this.changes });
    this.desk = new RegistrationDesk({ ...options, book: this.book, changes: this.changes });
  }

  get idScope(): string {
    return this.options.idScope;
  }

  get serviceKey(): string {
    return this.options.serviceKey;
  }

  /** Forgets every enrollment, group, registration state and operation. */
  clear(): void {
    this.book.clear();
    this.desk.clear();
    this.changes.announce({ type: 'provisioning-cleared' });
  }
}

/**
 * An ID scope as DPS generates them: `0ne` and 8 upper-case hex digits, the only form seen in public
 * logs (wire notes §1; the docs give no syntax). `randomHex` gives 8 hex digits.
 */
export function newIdScope(randomHex: () => string): string {
  return `0ne${randomHex().toUpperCase()}`;
}

/** Operation ids in the form DPS returns (`4.<16 hex>.<uuid>`, azure-iot-sdk-node#721). */
export function newOperationId(randomHex16: () => string, uuid: () => string): string {
  return `4.${randomHex16()}.${uuid()}`;
}
