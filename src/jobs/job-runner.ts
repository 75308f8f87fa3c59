// The bot's scheduled jobs on node-cron v4: each job is named (the name is its key across
// replicas), runs in TZ, never overlaps itself, and runs once per slot across replicas through
// a RunCoordinator backed by `job_runs` (slack-and-stack.md §5). Every run logs its start, end,
// duration and outcome, and records them in its `job_runs` row.
//
// node-cron only decides *when*; `runSlot` is the whole "claim, run, record" step, so tests and
// the catch-up of missed slots use exactly what a cron fire uses, with an injected clock.
import type { Logger } from '@slack/bolt';
import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { Store } from '../../db/client.js';
import { systemClock, type Clock } from '../time/clock.js';
import { claimSlot, finishSlot } from './job-runs.js';

export interface JobContext {
  /** The slot this run claimed (see Job.slotOf). */
  slot: Date;
  /** The cron time this run is for. */
  firedAt: Date;
  /** Run after its time had passed (catch-up after downtime). */
  late: boolean;
  now: Date;
}

export interface Job {
  /** Stable, kebab-case: the key of the job's slots in `job_runs`. */
  name: string;
  /** A node-cron expression, in the runner's time zone. */
  cron: string;
  /** The slot a fire claims; default the fire time. The daily summary claims the day it reports. */
  slotOf?(firedAt: Date): Date;
  /** Does the work; the returned text is the outcome logged and recorded. */
  run(context: JobContext): Promise<string | void>;
  /** Fire times whose slot no replica ran (the bot was down), to run late at start-up. */
  missedFires?(now: Date): Promise<Date[]>;
  /** A run still 'running' after this long is presumed dead (default 10 minutes). */
  leaseMs?: number;
}

export type SlotOutcome = { ran: false } | { ran: true; status: 'ok' | 'failed'; detail: string | null };

export interface JobRunnerOptions {
  store: Store;
  logger: Logger;
  timeZone: string;
  instanceId: string;
  clock?: Clock;
  /** How long stop() waits for runs in progress (default 10 s). */
  stopTimeoutMs?: number;
}

export interface JobRunner {
  add(job: Job): void;
  readonly jobs: readonly Job[];
  /** Schedules every job, then runs the slots missed while the bot was down. */
  start(): Promise<void>;
  /** Claims the job's slot for `firedAt` and runs it if this replica wins it. */
  runSlot(name: string, firedAt: Date, options?: { late?: boolean }): Promise<SlotOutcome>;
  /** Runs the missed slots of every job that keeps track of them. */
  catchUp(): Promise<void>;
  /** Stops scheduling and waits for runs in progress. */
  stop(): Promise<void>;
}

/** A catch-up run counts as late when this long after its time. */
const LATE_AFTER_MS = 5 * 60_000;
const DEFAULT_LEASE_MS = 10 * 60_000;

export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { store, logger, timeZone, instanceId } = options;
  const clock = options.clock ?? systemClock;
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  const jobs: Job[] = [];
  const tasks: ScheduledTask[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;

  const find = (name: string) => {
    const job = jobs.find((j) => j.name === name);
    if (!job) throw new Error(`No job named ${name}`);
    return job;
  };
  const slotOf = (job: Job, firedAt: Date) => job.slotOf?.(firedAt) ?? firedAt;
  const claim = (job: Job, firedAt: Date) =>
    claimSlot(store, { job: job.name, slot: slotOf(job, firedAt), instanceId, now: new Date(clock.now()), staleAfterMs: job.leaseMs ?? DEFAULT_LEASE_MS });

  /** Runs a claimed slot: logs, records the outcome, never throws. */
  async function execute(job: Job, firedAt: Date, late: boolean): Promise<SlotOutcome> {
    const slot = slotOf(job, firedAt);
    const started = clock.now();
    const label = `Job ${job.name} (slot ${slot.toISOString()}${late ? ', late' : ''})`;
    logger.info(`${label} started on ${instanceId}`);
    let outcome: SlotOutcome;
    try {
      const detail = (await job.run({ slot, firedAt, late, now: new Date(started) })) ?? null;
      outcome = { ran: true, status: 'ok', detail };
      logger.info(`${label} finished in ${clock.now() - started} ms: ok${detail ? `: ${detail}` : ''}`);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      outcome = { ran: true, status: 'failed', detail };
      logger.error(`${label} failed after ${clock.now() - started} ms`, error);
    }
    try {
      await finishSlot(store, job.name, slot, instanceId, new Date(clock.now()), outcome.status, outcome.detail);
    } catch (error) {
      logger.error(`Could not record the end of ${label} in job_runs`, error);
    }
    return outcome;
  }

  function track<T>(work: Promise<T>): Promise<T> {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => {});
    return work;
  }

  async function runSlot(name: string, firedAt: Date, runOptions: { late?: boolean } = {}): Promise<SlotOutcome> {
    const job = find(name);
    if (!(await claim(job, firedAt))) {
      logger.debug(`Job ${job.name}: slot ${slotOf(job, firedAt).toISOString()} is another replica's (or already done)`);
      return { ran: false };
    }
    return track(execute(job, firedAt, runOptions.late ?? false));
  }

  function schedule(job: Job): ScheduledTask {
    // node-cron asks before each fire; the key is `${name}:${fire time ISO}` (name is always set,
    // or every replica would use its own random name and all of them would run).
    // The claim is tracked like a run: a fire whose slot is being claimed when stop() begins runs
    // once the claim returns, and stop() waits for it. None is claimed after stop().
    const coordinator: RunCoordinator = {
      shouldRun: (key) => (stopped ? Promise.resolve(false) : track(claim(job, new Date(key.slice(job.name.length + 1))))),
    };
    return cron.schedule(job.cron, (context) => track(execute(job, context.date, false)), {
      name: job.name,
      timezone: timeZone,
      noOverlap: true,
      distributed: true,
      runCoordinator: coordinator,
      distributedLease: job.leaseMs ?? DEFAULT_LEASE_MS,
      logger: {
        info: (message) => logger.debug(`node-cron ${job.name}: ${message}`),
        // "missed execution" and overlap notices: worth a line, not an alarm (a busy process).
        warn: (message) => logger.info(`node-cron ${job.name}: ${message}`),
        error: (message, error) => logger.error(`node-cron ${job.name}:`, message, error ?? ''),
        debug: (message) => logger.debug(`node-cron ${job.name}:`, message),
      },
    });
  }

  async function catchUp(): Promise<void> {
    for (const job of jobs) {
      if (!job.missedFires || stopped) continue;
      try {
        const now = clock.now();
        for (const firedAt of await job.missedFires(new Date(now))) {
          if (stopped) break;
          await runSlot(job.name, firedAt, { late: now - firedAt.getTime() > LATE_AFTER_MS });
        }
      } catch (error) {
        logger.error(`Could not catch up the missed runs of job ${job.name}`, error);
      }
    }
  }

  return {
    jobs,
    add(job) {
      if (jobs.some((j) => j.name === job.name)) throw new Error(`Job ${job.name} is added twice`);
      if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(job.name)) throw new Error(`Job name ${job.name} is not kebab-case`);
      jobs.push(job);
    },
    async start() {
      for (const job of jobs) tasks.push(schedule(job));
      logger.info(`Scheduled jobs (${timeZone}): ${jobs.map((j) => `${j.name} "${j.cron}"`).join(', ') || 'none'}`);
      await catchUp();
    },
    runSlot,
    catchUp,
    async stop() {
      stopped = true;
      await Promise.all(tasks.map((task) => task.destroy()));
      tasks.length = 0;
      // A long run (a Graph sync) is not waited for beyond the deadline: its slot stays
      // 'running' and its own lease lets the next run take over.
      let deadline: NodeJS.Timeout | undefined;
      const settled = async () => {
        // Claims first; node-cron hands a claimed fire to its callback (which tracks the run) in
        // the microtasks after, so each round lets those run before looking again.
        while (inFlight.size > 0) {
          await Promise.allSettled([...inFlight]);
          await new Promise((resolve) => setImmediate(resolve));
        }
        return true;
      };
      const finished = await Promise.race([
        settled(),
        new Promise<boolean>((resolve) => (deadline = setTimeout(() => resolve(false), stopTimeoutMs))),
      ]);
      clearTimeout(deadline);
      if (!finished) logger.warn(`Stopped without waiting longer for ${inFlight.size} job run(s) in progress (${stopTimeoutMs / 1000} s).`);
    },
  };
}
