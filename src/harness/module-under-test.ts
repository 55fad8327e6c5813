import type { ModuleIdentity } from '../flows/create-module-identity.js';
import type { ModuleTwinSession } from '../flows/module-twin-session.js';

/** A module a scenario works with: its identity and, once connected, its twin session. */
export interface ModuleUnderTest {
  readonly name: string;
  readonly identity: ModuleIdentity;
  session?: ModuleTwinSession;
  /** A second app using the same identity, when a scenario connects one. */
  secondApp?: ModuleTwinSession;
}
