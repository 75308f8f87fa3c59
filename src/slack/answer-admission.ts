// How many /mfa questions one bot works on at once, and how many may wait. Past that the
// question is turned away at once with "busy, try again": on two cores more queries at a time
// only make every one of them slower, and an unbounded queue makes every admin wait for Slack's
// three seconds to run out instead of hearing in milliseconds that the bot is overloaded.
export interface AnswerAdmission {
  /** Runs `work` when a place is free, or gives 'busy' at once when the queue is full. */
  run<T>(work: () => Promise<T>): Promise<T | 'busy'>;
  /** Questions being worked on and waiting, for logs. */
  readonly load: { running: number; waiting: number };
}

export interface AdmissionLimits {
  running: number;
  waiting: number;
}

/** Per bot: two replicas on the two-core machine keep about four queries each in Postgres. */
export const DEFAULT_ADMISSION: AdmissionLimits = { running: 4, waiting: 24 };

export function createAnswerAdmission(limits: AdmissionLimits = DEFAULT_ADMISSION): AnswerAdmission {
  let running = 0;
  const waiting: Array<() => void> = [];

  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };

  return {
    get load() {
      return { running, waiting: waiting.length };
    },
    async run(work) {
      if (running >= limits.running) {
        if (waiting.length >= limits.waiting) return 'busy';
        // The place is handed over by release(): `running` stays counted.
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running += 1;
      }
      try {
        return await work();
      } finally {
        release();
      }
    },
  };
}
