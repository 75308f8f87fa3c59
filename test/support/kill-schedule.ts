// Seeded randomness for kill -9 tests: where in the work each kill lands comes from a seed, printed
// with every failure, so a failing schedule can be replayed. CI runs a few kills;
// MFA_KILL_ROUNDS=<n> runs more, MFA_KILL_SEED=<n> replays or varies the schedule.
import { rng, type Rng } from '../../src/seed/random.js';
import { testBackend } from './test-store.js';

export interface KillSchedule {
  seed: number;
  rounds: number;
  random: Rng;
  /** "seed 7, 3 rounds": for assertion messages. */
  describe: string;
}

/**
 * `ciRounds` per store: PGlite's fewer, since every start of a process on its folder costs
 * seconds of opening it.
 */
export function killSchedule(ciRounds: { postgres: number; pglite: number }): KillSchedule {
  const seed = Number(process.env.MFA_KILL_SEED ?? 20261127);
  const rounds = Number(process.env.MFA_KILL_ROUNDS ?? ciRounds[testBackend()]);
  if (!Number.isInteger(seed) || !Number.isInteger(rounds) || rounds < 1) {
    throw new Error(`MFA_KILL_SEED and MFA_KILL_ROUNDS must be whole numbers (rounds at least 1), not ${process.env.MFA_KILL_SEED} and ${process.env.MFA_KILL_ROUNDS}`);
  }
  return { seed, rounds, random: rng(seed), describe: `kill schedule seed ${seed}, ${rounds} rounds (MFA_KILL_SEED, MFA_KILL_ROUNDS)` };
}
