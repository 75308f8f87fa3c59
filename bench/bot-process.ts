// The real bot in HTTP mode as a child process, started as `npm start` starts it (the bundle built
// by `npm run build`, run by plain node), talking to a LocalSlackApi that runs in the bench process
// and records every call it makes. Several bots (replicas) may share one LocalSlackApi, as
// replicas share one Slack workspace.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, type WriteStream } from 'node:fs';
import net from 'node:net';
import { promisify } from 'node:util';
import { LocalSlackApi } from '../src/simulator/local-slack-api.js';
import { childEnv, spawnNodeWith, type NodeChild } from './child-process.js';

/**
 * The bench bots' time zone. Its half-hour offset puts both ends of a date range of whole local
 * days at hh:30 UTC, so each end has a partial hour of raw rows (the rest of the period comes from
 * rollups): the costliest shape of a period, whatever time the bench runs.
 */
export const BENCH_TIME_ZONE = 'Asia/Kolkata';

export const BENCH_ADMIN = 'UBENCHADMIN';
export const ALERT_CHANNEL = 'C0BENCHALERTS';

export interface RunningBot {
  api: LocalSlackApi;
  process: NodeChild;
  /** http://127.0.0.1:<port>/slack/events */
  eventsUrl: string;
  signingSecret: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, bot: NodeChild, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | string | null = null;
  void bot.exited.then((code) => (exited = code));
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`The bot exited (${exited}) before listening; see the log file`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`The bot did not listen on port ${port} within ${timeoutMs / 1000} s`);
}

let built: Promise<void> | undefined;

/**
 * What `npm run build` runs: dist/main.js from the current sources, as `npm start` does first.
 * Once per process: the sources do not change while it runs, and a test that restarts the bot
 * a dozen times would otherwise rebuild it each time.
 */
function buildBot(): Promise<void> {
  built ??= promisify(execFile)(process.execPath, ['scripts/build.mjs']).then(
    () => undefined,
    (error: unknown) => {
      built = undefined;
      throw new Error(`npm run build failed: ${(error as { stderr?: string }).stderr || (error as Error).message}`);
    },
  );
  return built;
}

/** The node arguments of `npm start` in package.json (its V8 flags and the bundle), so the two never drift apart. */
function startArgs(): string[] {
  const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> };
  const run = /&& node ((?:--\S+ )*dist\/main\.js)$/.exec(scripts.start ?? '');
  if (!run) throw new Error(`package.json's start script no longer ends in "node [flags] dist/main.js": ${scripts.start}`);
  return run[1]!.split(' ');
}

export interface BotOptions {
  /** A LocalSlackApi already running (shared by replicas; stop() leaves it running). */
  api?: LocalSlackApi;
  /** More environment, over the defaults (e.g. MFA_ADMIN_GROUP, SUMMARY_CHANNEL). */
  env?: Record<string, string>;
  /** Label of its lines in the log file (default "bot"). */
  label?: string;
}

/** `store` is the DATABASE_URL, or the store's environment (e.g. `{ PGLITE_DIR }`). */
export async function startBot(store: string | Record<string, string | undefined>, log: WriteStream, options: BotOptions = {}): Promise<RunningBot> {
  const nodeArgs = startArgs();
  await buildBot();
  const ownApi = !options.api;
  const api = options.api ?? new LocalSlackApi();
  await api.start();
  const port = await freePort();
  const signingSecret = randomBytes(16).toString('hex');
  const env = childEnv({
    ...(typeof store === 'string' ? { DATABASE_URL: store } : store),
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_API_URL: api.apiUrl,
    PORT: String(port),
    MFA_ADMINS: BENCH_ADMIN,
    FRAUD_ALERT_CHANNEL: ALERT_CHANNEL,
    // Escalation re-posts of still-unacknowledged seed alerts would share the channel's pace with
    // the alerts being measured; a day keeps them out of any bench run.
    FRAUD_ESCALATE_MINUTES: '1440',
    TZ: BENCH_TIME_ZONE,
    ...options.env,
  });
  const bot = spawnNodeWith(nodeArgs, env, log, options.label ?? 'bot');
  const stopApi = async () => {
    if (ownApi) await api.stop();
  };
  try {
    await waitForPort(port, bot, 60_000);
  } catch (error) {
    bot.child.kill('SIGKILL');
    await stopApi();
    throw error;
  }
  return {
    api,
    process: bot,
    eventsUrl: `http://127.0.0.1:${port}/slack/events`,
    signingSecret,
    async stop() {
      bot.child.kill('SIGTERM');
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 20_000).unref());
      if ((await Promise.race([bot.exited, timeout])) === 'timeout') {
        bot.child.kill('SIGKILL');
        await bot.exited;
      }
      await stopApi();
    },
  };
}
