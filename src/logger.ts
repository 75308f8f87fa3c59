// The process logger (also handed to Bolt). Every line passes through `redact`, so a token, a
// signing secret, a Graph client secret or a phone number can never reach the logs.
// Types only: loading Bolt's runtime for its LogLevel enum costs a CLI such as `npm run import`
// about 20 MB of memory. The enum's values are these strings.
import type { LogLevel, Logger } from '@slack/bolt';
import { scrubPhoneNumbers } from './ingest/scrub.js';

const DEBUG = 'debug' as LogLevel;
const INFO = 'info' as LogLevel;
const WARN = 'warn' as LogLevel;
const ERROR = 'error' as LogLevel;

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 } as Record<LogLevel, number>;
// Every Slack token kind: bot, user, app-level, legacy, refresh (xoxe-, and xoxe.xoxp- for rotated
// user tokens), configuration and the browser's xoxc-/xoxd-.
const TOKEN_PATTERN = /\b(xox[a-z](?:\.xox[a-z])?|xapp)-[A-Za-z0-9-]+/g;

export interface LoggerOptions {
  level?: LogLevel;
  name?: string;
  /** Values that must never be printed (signing secret, Graph client secret ...). */
  secrets?: Array<string | undefined>;
  /** Where lines go; stderr by default so stdout stays for answers. */
  sink?: (line: string) => void;
}

function stringify(part: unknown): string {
  if (part instanceof Error) return part.stack ?? `${part.name}: ${part.message}`;
  if (typeof part === 'string') return part;
  try {
    return JSON.stringify(part);
  } catch {
    return String(part);
  }
}

export function createLogger(options: LoggerOptions = {}): Logger {
  let level = options.level ?? INFO;
  let name = options.name ?? 'mfa-bot';
  const secrets = (options.secrets ?? []).filter((s): s is string => typeof s === 'string' && s.length >= 4);
  const sink = options.sink ?? ((line: string) => process.stderr.write(`${line}\n`));

  const redact = (text: string) => {
    let out = text.replace(TOKEN_PATTERN, '$1-[redacted]');
    for (const secret of secrets) out = out.split(secret).join('[redacted]');
    return scrubPhoneNumbers(out);
  };
  const write = (at: LogLevel, parts: unknown[]) => {
    if (ORDER[at] < ORDER[level]) return;
    sink(redact(`${new Date().toISOString()} ${at.toUpperCase()} [${name}] ${parts.map(stringify).join(' ')}`));
  };
  return {
    debug: (...parts) => write(DEBUG, parts),
    info: (...parts) => write(INFO, parts),
    warn: (...parts) => write(WARN, parts),
    error: (...parts) => write(ERROR, parts),
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next) => {
      name = next;
    },
  };
}
