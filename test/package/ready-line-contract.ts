/**
 * The ready line is the one contract between the emulator CLI, which prints it, and the
 * testcontainers module, which reads it from a container's logs without depending on the emulator
 * package. This file does not compile (npm run typecheck) when the two types drift apart.
 */
import type { ReadyLine as PrintedReadyLine } from 'iothub-emulator';
import type { ReadyLine as ReadReadyLine } from 'iothub-emulator-testcontainers';

/** Each assignable to the other, with the same keys (so an optional field on one side only counts too). */
type Same<A, B> = [A, keyof A] extends [B, keyof B] ? ([B, keyof B] extends [A, keyof A] ? true : false) : false;

export const READY_LINES_AGREE: Same<PrintedReadyLine, ReadReadyLine> = true;
