import { updateDesired, type Fleet } from './endpoint.js';
import { withDeadline } from '../src/wait-for.js';

export interface PropagationSamples {
  /** updateModuleTwin called -> the patch event fired in the module client (ms). */
  readonly patchAtModule: number[];
  /** updateModuleTwin called -> its promise resolved, the back end's view (ms). */
  readonly restResolved: number[];
}

/**
 * `count` updates, one at a time, round-robin over the fleet's modules, each timed from the
 * updateModuleTwin call to the patch's arrival at its module. The patch may arrive before the REST
 * promise resolves (the emulator pushes it inside the request), so the arrival is awaited from before the call.
 */
export async function samplePropagation(fleet: Fleet, count: number, into: PropagationSamples): Promise<void> {
  for (let index = 0; index < count; index++) {
    const ref = fleet.ids[(into.patchAtModule.length + index) % fleet.ids.length];
    if (ref === undefined) throw new Error('The fleet has no modules.');
    const token = fleet.tracker.token();
    const arrival = fleet.tracker.expect(token);
    const started = performance.now();
    await updateDesired(fleet.registry, ref, token);
    const resolvedAt = performance.now();
    const arrivedAt = await withDeadline(arrival, 10_000, `the desired patch ${token} at ${ref.deviceId}/${ref.moduleId}`);
    into.patchAtModule.push(arrivedAt - started);
    into.restResolved.push(resolvedAt - started);
  }
}
