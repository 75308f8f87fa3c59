/**
 * A local stand-in for the Slack Web API, served on loopback (127.0.0.1) only.
 *
 * It backs the terminal simulator and the test suite: point Bolt or a WebClient at
 * `apiUrl` (`clientOptions.slackApiUrl`), hand out `responseUrl()` as a slash
 * command's `response_url`, then read what the bot sent from `calls` or the
 * `'call'` event. `failNext()` injects rate limits, HTTP errors and `ok:false`
 * platform errors; `holdNext()` keeps a call waiting until the test lets it through.
 *
 * It keeps just enough state to answer realistically: messages per channel
 * (for `conversations.history` / `conversations.replies` / `chat.update`),
 * pending and uploaded files, published Home views and `response_url` use counts.
 */
import { EventEmitter } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type SlackCallKind = 'api' | 'respond' | 'upload';

export interface SlackCall {
  kind: SlackCallKind;
  /** The Web API method (`chat.postMessage`), or `'respond'` / `'upload'` for those kinds. */
  method: string;
  /** Parsed request body; JSON-encoded fields (`blocks`, `metadata`, …) are decoded; `token` is removed. */
  body: Record<string, unknown>;
  at: Date;
  /** HTTP status this server answered with. */
  status: number;
  /** The `response_url` id (kind `respond`) or file id (kind `upload`). */
  id?: string | undefined;
  /** What this server answered: a JSON object for the Web API, a string otherwise. */
  response?: Record<string, unknown> | string | undefined;
  /**
   * The token the caller sent (Authorization header or `token` field). Non-enumerable, so
   * console.log, JSON.stringify and test snapshots do not print it.
   */
  readonly token?: string | undefined;
}

export interface SlackFault {
  /** HTTP status to answer with. Defaults to 429 when `retryAfter` is set, 200 when only `error` is set, else 500. */
  status?: number | undefined;
  /** Seconds, sent as `Retry-After`. Defaults to 1 for a 429. */
  retryAfter?: number | undefined;
  /** The `error` of the `{ok:false}` body. Defaults to `ratelimited` (429) or `internal_error` (5xx). */
  error?: string | undefined;
  /** How many consecutive calls fail. Default 1; `Infinity` until `clearFaults`. */
  times?: number | undefined;
}

export interface SlackHold {
  /** Resolves when the held call has arrived (and is waiting). */
  arrived: Promise<void>;
  /** Lets the held call be answered. */
  release(): void;
}

export interface SlackUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  deleted: boolean;
  tz: string;
  tz_label: string;
  tz_offset: number;
  is_admin: boolean;
  is_owner: boolean;
  is_bot: boolean;
  is_app_user: boolean;
  profile: Record<string, unknown>;
  [key: string]: unknown;
}

export interface LocalSlackApiOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number | undefined;
  teamId?: string | undefined;
  teamDomain?: string | undefined;
  botUserId?: string | undefined;
  botId?: string | undefined;
  appId?: string | undefined;
  /** `usergroups.users.list` data: user group id → member user ids. */
  groups?: Record<string, string[]> | undefined;
  /** `users.info` overrides, merged over a generated user. */
  users?: Record<string, Partial<SlackUser>> | undefined;
  /** How many POSTs one `response_url` accepts (Slack: 5). Further POSTs get 404 `used_url`. */
  responseUrlMaxUses?: number | undefined;
  /** Clock in epoch milliseconds, used for message timestamps. */
  now?: (() => number) | undefined;
}

export interface UploadedFile {
  id: string;
  filename: string;
  title?: string | undefined;
  altText?: string | undefined;
  /** The `length` announced in `files.getUploadURLExternal`. */
  length?: number | undefined;
  bytes: Buffer;
  contentType?: string | undefined;
  completed: boolean;
  channelId?: string | undefined;
  initialComment?: string | undefined;
  threadTs?: string | undefined;
}

type ApiResult = Record<string, unknown> & { ok: boolean };

interface StoredMessage {
  type: 'message';
  ts: string;
  text: string;
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  thread_ts?: string;
  reply_count?: number;
  reply_users?: string[];
  latest_reply?: string;
  reply_broadcast?: boolean;
  edited?: { user: string; ts: string };
}

interface PendingFile {
  id: string;
  filename: string;
  length?: number | undefined;
  altText?: string | undefined;
  title?: string | undefined;
  bytes?: Buffer | undefined;
  contentType?: string | undefined;
  uploadedAt?: number | undefined;
  completed: boolean;
  channelId?: string | undefined;
  initialComment?: string | undefined;
  threadTs?: string | undefined;
}

interface MultipartPart {
  name?: string | undefined;
  filename?: string | undefined;
  contentType?: string | undefined;
  data: Buffer;
}

/** Fields @slack/web-api JSON-stringifies when it form-encodes a call. */
const JSON_FIELDS = new Set([
  'blocks',
  'attachments',
  'metadata',
  'files',
  'users',
  'view',
  'unfurls',
  'user_auth_blocks',
  'file_uploads',
]);

/** Methods that answer without a token. */
const NO_AUTH_METHODS = new Set(['api.test', 'oauth.access', 'oauth.v2.access', 'oauth.v2.exchange']);

const MAX_BLOCKS_PER_MESSAGE = 50;
/** Modals and Home tabs. */
const MAX_BLOCKS_PER_VIEW = 100;
const MAX_BODY_BYTES = 50 * 1024 * 1024;

export class LocalSlackApi extends EventEmitter<{ call: [SlackCall] }> {
  readonly calls: SlackCall[] = [];
  /** Mutable: tests may add or change groups between calls. */
  readonly groups: Record<string, string[]>;
  readonly users: Record<string, Partial<SlackUser>>;
  readonly teamId: string;
  readonly teamDomain: string;
  readonly botUserId: string;
  readonly botId: string;
  readonly appId: string;
  /** Last view published per user (`views.publish`). */
  readonly homeViews = new Map<string, Record<string, unknown>>();

  private readonly port: number;
  private readonly responseUrlMaxUses: number;
  private readonly now: () => number;
  private server: http.Server | undefined;
  private boundPort: number | undefined;

  private readonly faults = new Map<string, Array<{ fault: SlackFault; remaining: number }>>();
  private readonly holds = new Map<string, Array<{ arrive: () => void; released: Promise<void> }>>();
  private readonly channels = new Map<string, StoredMessage[]>();
  private readonly files = new Map<string, PendingFile>();
  private readonly responseUrlUses = new Map<string, number>();
  private lastTsMicros = 0;
  private counter = 0;

  constructor(options: LocalSlackApiOptions = {}) {
    super();
    this.port = options.port ?? 0;
    this.teamId = options.teamId ?? 'T0SIM0001';
    this.teamDomain = options.teamDomain ?? 'mfa-sim';
    this.botUserId = options.botUserId ?? 'U0SIMBOT1';
    this.botId = options.botId ?? 'B0SIMBOT1';
    this.appId = options.appId ?? 'A0SIMAPP1';
    this.groups = { ...options.groups };
    this.users = { ...options.users };
    this.responseUrlMaxUses = options.responseUrlMaxUses ?? 5;
    this.now = options.now ?? Date.now;
  }

  // ── lifecycle ────────────────────────────────────────────────────────────

  async start(): Promise<void> {
    if (this.server) return;
    const server = http.createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        process.stderr.write(`LocalSlackApi: failed to handle ${req.method ?? ''} ${req.url ?? ''}: ${message}\n`);
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: 'internal_error' });
        else res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.boundPort = undefined;
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  }

  /** Base URL of the local server, e.g. `http://127.0.0.1:54321`. */
  get baseUrl(): string {
    if (this.boundPort === undefined) throw new Error('LocalSlackApi is not started; call start() first');
    return `http://127.0.0.1:${this.boundPort}`;
  }

  /** Pass as `slackApiUrl` to Bolt (`clientOptions`) or a WebClient. */
  get apiUrl(): string {
    return `${this.baseUrl}/api/`;
  }

  /** A fresh URL usable as a slash command's `response_url`. */
  responseUrl(id?: string): string {
    const key = id ?? `R${(++this.counter).toString().padStart(6, '0')}${this.now().toString(36).toUpperCase()}`;
    return `${this.baseUrl}/respond/${encodeURIComponent(key)}`;
  }

  // ── recording helpers ────────────────────────────────────────────────────

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Bodies of accepted `chat.postMessage` calls (faulted or `ok:false` ones are only in `calls`). */
  posts(channel?: string): Array<Record<string, unknown>> {
    return this.callsTo('chat.postMessage')
      .filter((call) => isOk(call) && (channel === undefined || call.body.channel === channel))
      .map((call) => call.body);
  }

  /** Bodies of accepted `response_url` POSTs. */
  responses(): Array<Record<string, unknown>> {
    return this.calls.filter((call) => call.kind === 'respond' && call.status === 200).map((call) => call.body);
  }

  /** Files whose bytes were uploaded, in upload order. */
  uploads(): UploadedFile[] {
    return [...this.files.values()]
      .filter((file): file is PendingFile & { bytes: Buffer } => file.bytes !== undefined)
      .sort((a, b) => (a.uploadedAt ?? 0) - (b.uploadedAt ?? 0))
      .map((file) => ({
        id: file.id,
        filename: file.filename,
        title: file.title,
        altText: file.altText,
        length: file.length,
        bytes: file.bytes,
        contentType: file.contentType,
        completed: file.completed,
        channelId: file.channelId,
        initialComment: file.initialComment,
        threadTs: file.threadTs,
      }));
  }

  /** Messages currently stored for a channel, oldest first (thread replies included). */
  messages(channel: string): Array<Record<string, unknown>> {
    return (this.channels.get(channel) ?? []).map((message) => ({ ...message }));
  }

  /** Forget calls, faults, messages, files, views and response_url use counts (configuration stays). */
  reset(): void {
    this.calls.length = 0;
    this.faults.clear();
    this.channels.clear();
    this.files.clear();
    this.homeViews.clear();
    this.responseUrlUses.clear();
  }

  /**
   * Resolve with the first call, already recorded or future, that matches. A string matches the method.
   */
  waitFor(predicate: ((call: SlackCall) => boolean) | string, timeoutMs = 5000): Promise<SlackCall> {
    const matches = typeof predicate === 'string' ? (call: SlackCall) => call.method === predicate : predicate;
    return new Promise<SlackCall>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const cleanup = (): void => {
        if (timer) clearTimeout(timer);
        this.off('call', onCall);
      };
      const test = (call: SlackCall): boolean => {
        try {
          if (!matches(call)) return false;
        } catch (error) {
          cleanup();
          reject(error instanceof Error ? error : new Error(String(error)));
          return true;
        }
        cleanup();
        resolve(call);
        return true;
      };
      const onCall = (call: SlackCall): void => {
        test(call);
      };
      for (const call of this.calls) if (test(call)) return;
      this.on('call', onCall);
      timer = setTimeout(() => {
        cleanup();
        const seen = this.calls.map((call) => `${call.method}(${call.status})`).join(', ') || 'none';
        reject(new Error(`LocalSlackApi.waitFor: no matching call within ${timeoutMs} ms; recorded: ${seen}`));
      }, timeoutMs);
    });
  }

  // ── fault injection ──────────────────────────────────────────────────────

  /**
   * Make the next `times` calls to `method` fail. `method` is a Web API method name,
   * or `'respond'` (any response_url POST) or `'upload'` (any file upload POST).
   */
  failNext(method: string, fault: SlackFault): void {
    const queue = this.faults.get(method) ?? [];
    queue.push({ fault, remaining: Math.max(1, fault.times ?? 1) });
    this.faults.set(method, queue);
  }

  /**
   * Keep the next call to `method` (named as for failNext) waiting before it is answered, until
   * `release()`: a post or upload that is in flight for as long as a test needs.
   */
  holdNext(method: string): SlackHold {
    let arrive!: () => void;
    let release!: () => void;
    const arrived = new Promise<void>((resolve) => (arrive = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    const queue = this.holds.get(method) ?? [];
    queue.push({ arrive, released });
    this.holds.set(method, queue);
    return { arrived, release };
  }

  private async waitIfHeld(method: string): Promise<void> {
    const hold = this.holds.get(method)?.shift();
    if (!hold) return;
    hold.arrive();
    await hold.released;
  }

  /** Calls to `method` succeed again (faults queued for it are dropped). */
  clearFaults(method: string): void {
    this.faults.delete(method);
  }

  private takeFault(method: string): SlackFault | undefined {
    const queue = this.faults.get(method);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    if (queue.length === 0) this.faults.delete(method);
    return head.fault;
  }

  // ── HTTP ─────────────────────────────────────────────────────────────────

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    const path = url.pathname;
    const kind = /^\/(api|respond|upload)\/(.+)$/.exec(path);
    if (kind) await this.waitIfHeld(kind[1] === 'api' ? decodeURIComponent(kind[2]!) : kind[1]!);

    if (path.startsWith('/api/') && path.length > '/api/'.length) {
      const method = decodeURIComponent(path.slice('/api/'.length));
      await this.handleApi(method, req, raw, url, res);
    } else if (path.startsWith('/respond/') && path.length > '/respond/'.length) {
      this.handleRespond(decodeURIComponent(path.slice('/respond/'.length)), req, raw, url, res);
    } else if (path.startsWith('/upload/') && path.length > '/upload/'.length) {
      this.handleUpload(decodeURIComponent(path.slice('/upload/'.length)), req, raw, res);
    } else {
      sendText(res, 404, 'not_found');
    }
  }

  private async handleApi(
    method: string,
    req: http.IncomingMessage,
    raw: Buffer,
    url: URL,
    res: http.ServerResponse,
  ): Promise<void> {
    const { fields } = parseRequestBody(raw, req.headers['content-type'], url.searchParams);
    const token = extractToken(req, fields);

    const fault = this.takeFault(method);
    if (fault) {
      const { status, headers, body } = faultResponse(fault);
      this.record({ kind: 'api', method, body: fields, status, response: body, token });
      sendJson(res, status, body, headers);
      return;
    }

    let result: ApiResult;
    if (!token && !NO_AUTH_METHODS.has(method)) {
      result = { ok: false, error: 'not_authed' };
    } else {
      const handler = this.handlers[method];
      result = handler ? await handler(fields) : { ok: true };
    }
    this.record({ kind: 'api', method, body: fields, status: 200, response: result, token });
    sendJson(res, 200, result);
  }

  private handleRespond(
    id: string,
    req: http.IncomingMessage,
    raw: Buffer,
    url: URL,
    res: http.ServerResponse,
  ): void {
    const { fields } = parseRequestBody(raw, req.headers['content-type'], url.searchParams);
    const token = extractToken(req, fields);
    const fault = this.takeFault('respond');
    if (fault) {
      const { status, headers, body } = faultResponse(fault);
      this.record({ kind: 'respond', method: 'respond', id, body: fields, status, response: JSON.stringify(body), token });
      sendJson(res, status, body, headers);
      return;
    }
    const uses = (this.responseUrlUses.get(id) ?? 0) + 1;
    this.responseUrlUses.set(id, uses);
    if (uses > this.responseUrlMaxUses) {
      this.record({ kind: 'respond', method: 'respond', id, body: fields, status: 404, response: 'used_url', token });
      sendText(res, 404, 'used_url');
      return;
    }
    this.record({ kind: 'respond', method: 'respond', id, body: fields, status: 200, response: 'ok', token });
    sendText(res, 200, 'ok');
  }

  private handleUpload(id: string, req: http.IncomingMessage, raw: Buffer, res: http.ServerResponse): void {
    const contentType = req.headers['content-type'];
    const parts = isMultipart(contentType) ? parseMultipart(raw, contentType ?? '') : [];
    const filePart = parts.find((part) => part.filename !== undefined) ?? parts[0];
    const bytes = filePart ? filePart.data : raw;
    const partType = filePart ? filePart.contentType : contentType;
    const token = extractToken(req, {});
    const file = this.files.get(id);
    const body: Record<string, unknown> = {
      file_id: id,
      filename: file?.filename ?? filePart?.filename,
      size: bytes.length,
      content_type: partType,
    };

    const fault = this.takeFault('upload');
    if (fault) {
      const { status, headers, body: faultBody } = faultResponse(fault);
      this.record({ kind: 'upload', method: 'upload', id, body, status, response: JSON.stringify(faultBody), token });
      sendJson(res, status, faultBody, headers);
      return;
    }
    if (!file) {
      this.record({ kind: 'upload', method: 'upload', id, body, status: 404, response: 'file_not_found', token });
      sendText(res, 404, 'file_not_found');
      return;
    }
    file.bytes = Buffer.from(bytes);
    file.contentType = partType && !partType.startsWith('multipart/') ? partType : undefined;
    file.uploadedAt = ++this.counter;
    const answer = `OK - ${bytes.length}`;
    this.record({ kind: 'upload', method: 'upload', id, body, status: 200, response: answer, token });
    sendText(res, 200, answer);
  }

  private record(entry: Omit<SlackCall, 'at' | 'token'> & { token?: string | undefined }): void {
    const { token, ...rest } = entry;
    const call: SlackCall = { ...rest, at: new Date(this.now()) };
    if (rest.id === undefined) delete call.id;
    if (token !== undefined) {
      Object.defineProperty(call, 'token', { value: token, enumerable: false, writable: false });
    }
    this.calls.push(call);
    this.emit('call', call);
  }

  // ── Web API methods ──────────────────────────────────────────────────────

  private readonly handlers: Record<string, (body: Record<string, unknown>) => ApiResult | Promise<ApiResult>> = {
    'api.test': (body) => ({ ok: true, args: body }),

    'auth.test': () => ({
      ok: true,
      url: `https://${this.teamDomain}.slack.com/`,
      team: this.teamDomain,
      user: 'mfa-bot',
      team_id: this.teamId,
      user_id: this.botUserId,
      bot_id: this.botId,
      is_enterprise_install: false,
    }),

    'chat.postMessage': (body) => {
      const channel = str(body.channel);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      const blocks = arr(body.blocks);
      const attachments = arr(body.attachments);
      const text = str(body.text) ?? '';
      if (!text && !blocks?.length && !attachments?.length) return { ok: false, error: 'no_text' };
      if (blocks && blocks.length > MAX_BLOCKS_PER_MESSAGE) {
        return {
          ok: false,
          error: 'invalid_blocks',
          response_metadata: { messages: [`[ERROR] no more than ${MAX_BLOCKS_PER_MESSAGE} items allowed [json-pointer:/blocks]`] },
        };
      }
      const message: StoredMessage = {
        type: 'message',
        ts: this.nextTs(),
        text,
        user: this.botUserId,
        bot_id: this.botId,
        app_id: this.appId,
        team: this.teamId,
      };
      if (blocks) message.blocks = blocks;
      if (attachments) message.attachments = attachments;
      if (body.metadata !== undefined && body.metadata !== '') message.metadata = body.metadata;
      const threadTs = str(body.thread_ts);
      if (threadTs) {
        message.thread_ts = threadTs;
        if (truthy(body.reply_broadcast)) message.reply_broadcast = true;
        const parent = this.findMessage(channel, threadTs);
        if (parent) {
          parent.thread_ts = parent.ts;
          parent.reply_count = (parent.reply_count ?? 0) + 1;
          parent.latest_reply = message.ts;
          parent.reply_users = [...new Set([...(parent.reply_users ?? []), this.botUserId])];
        }
      }
      this.channelMessages(channel).push(message);
      return { ok: true, channel, ts: message.ts, message: { ...message } };
    },

    'chat.update': (body) => {
      const channel = str(body.channel);
      const ts = str(body.ts);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      const message = ts ? this.findMessage(channel, ts) : undefined;
      if (!message) return { ok: false, error: 'message_not_found' };
      if (body.text !== undefined) message.text = str(body.text) ?? '';
      const blocks = arr(body.blocks);
      if (blocks) message.blocks = blocks;
      const attachments = arr(body.attachments);
      if (attachments) message.attachments = attachments;
      if (body.metadata !== undefined && body.metadata !== '') message.metadata = body.metadata;
      message.edited = { user: this.botUserId, ts: this.nextTs() };
      return { ok: true, channel, ts: message.ts, text: message.text, message: { ...message } };
    },

    'chat.delete': (body) => {
      const channel = str(body.channel);
      const ts = str(body.ts);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      const list = this.channels.get(channel) ?? [];
      const index = list.findIndex((message) => message.ts === ts);
      if (index < 0) return { ok: false, error: 'message_not_found' };
      list.splice(index, 1);
      return { ok: true, channel, ts };
    },

    'chat.postEphemeral': (body) => {
      if (!str(body.channel)) return { ok: false, error: 'channel_not_found' };
      if (!str(body.user)) return { ok: false, error: 'user_not_in_channel' };
      if (!str(body.text) && !arr(body.blocks)?.length && !arr(body.attachments)?.length) {
        return { ok: false, error: 'no_text' };
      }
      return { ok: true, message_ts: this.nextTs() };
    },

    'chat.getPermalink': (body) => {
      const channel = str(body.channel);
      const ts = str(body.message_ts);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      if (!ts) return { ok: false, error: 'message_not_found' };
      return { ok: true, channel, permalink: `https://${this.teamDomain}.slack.com/archives/${channel}/p${ts.replace('.', '')}` };
    },

    'conversations.history': (body) => {
      const channel = str(body.channel);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      const topLevel = (this.channels.get(channel) ?? []).filter(
        (message) => !message.thread_ts || message.thread_ts === message.ts || message.reply_broadcast,
      );
      const inRange = filterRange(topLevel, body).sort((a, b) => compareTs(b.ts, a.ts));
      return paginate(inRange, body, 100, 'messages', { pin_count: 0, channel_actions_ts: null, channel_actions_count: 0 });
    },

    'conversations.replies': (body) => {
      const channel = str(body.channel);
      const ts = str(body.ts);
      if (!channel) return { ok: false, error: 'channel_not_found' };
      const parent = ts ? this.findMessage(channel, ts) : undefined;
      if (!parent || !ts) return { ok: false, error: 'thread_not_found' };
      const replies = (this.channels.get(channel) ?? []).filter((message) => message.thread_ts === ts && message.ts !== ts);
      const thread = [parent, ...filterRange(replies, body).sort((a, b) => compareTs(a.ts, b.ts))];
      return paginate(thread, body, 1000, 'messages', {});
    },

    'conversations.open': (body) => {
      const users = (str(body.users) ?? '').split(',').filter(Boolean);
      const channel = str(body.channel);
      if (!channel && users.length === 0) return { ok: false, error: 'users_list_not_supplied' };
      const id = channel ?? `D${users.join('').replace(/^[UW]/, '').slice(0, 10)}`;
      return { ok: true, channel: { id } };
    },

    'users.info': (body) => {
      const id = str(body.user);
      if (!id) return { ok: false, error: 'user_not_found' };
      const configured = this.users[id];
      if (!configured && !/^[UWB][A-Z0-9]{2,}$/.test(id)) return { ok: false, error: 'user_not_found' };
      return { ok: true, user: this.userFor(id, configured) };
    },

    'usergroups.users.list': (body) => {
      const id = str(body.usergroup);
      const members = id ? this.groups[id] : undefined;
      if (!members) return { ok: false, error: 'no_such_subteam' };
      return { ok: true, users: [...members] };
    },

    'views.publish': (body) => {
      const userId = str(body.user_id);
      const view = obj(body.view);
      if (!userId) return { ok: false, error: 'user_not_found' };
      if (!view) return { ok: false, error: 'invalid_arguments' };
      const blocks = arr(view.blocks);
      if (blocks && blocks.length > MAX_BLOCKS_PER_VIEW) {
        return {
          ok: false,
          error: 'invalid_arguments',
          response_metadata: { messages: [`[ERROR] no more than ${MAX_BLOCKS_PER_VIEW} items allowed [json-pointer:/view/blocks]`] },
        };
      }
      const published = this.viewFor(view);
      this.homeViews.set(userId, published);
      return { ok: true, view: published };
    },
    'views.open': (body) => this.anyView(body),
    'views.update': (body) => this.anyView(body),
    'views.push': (body) => this.anyView(body),

    'files.getUploadURLExternal': (body) => {
      const filename = str(body.filename);
      const length = Number(body.length);
      if (!filename || !Number.isFinite(length)) return { ok: false, error: 'invalid_arguments' };
      const id = `F0SIM${(++this.counter).toString().padStart(6, '0')}`;
      this.files.set(id, { id, filename, length, altText: str(body.alt_text), completed: false });
      return { ok: true, upload_url: `${this.baseUrl}/upload/${id}`, file_id: id };
    },

    'files.completeUploadExternal': (body) => {
      const list = arr(body.files);
      if (!list?.length) return { ok: false, error: 'invalid_arguments' };
      const channelId = str(body.channel_id) ?? str(body.channels)?.split(',')[0];
      const entries: Array<{ id: string; title?: string | undefined }> = [];
      for (const entry of list) {
        const item = obj(entry);
        const id = str(item?.id);
        if (!id || !this.files.get(id)?.bytes) return { ok: false, error: 'file_not_found' };
        entries.push({ id, title: str(item?.title) });
      }
      const created = Math.floor(this.now() / 1000);
      const files = entries.map(({ id, title }) => {
        const file = this.files.get(id) as PendingFile & { bytes: Buffer };
        file.completed = true;
        file.title = title ?? file.filename;
        file.channelId = channelId;
        file.initialComment = str(body.initial_comment);
        file.threadTs = str(body.thread_ts);
        const mimetype = guessMimeType(file.filename, file.bytes);
        return {
          id,
          created,
          timestamp: created,
          name: file.filename,
          title: file.title,
          mimetype,
          filetype: extensionOf(file.filename) || 'binary',
          user: this.botUserId,
          user_team: this.teamId,
          size: file.bytes.length,
          mode: 'hosted',
          is_external: false,
          is_public: channelId?.startsWith('C') ?? false,
          alt_txt: file.altText,
          url_private: `https://files.slack.com/files-pri/${this.teamId}-${id}/${encodeURIComponent(file.filename)}`,
          permalink: `https://${this.teamDomain}.slack.com/files/${this.botUserId}/${id}/${encodeURIComponent(file.filename)}`,
          channels: channelId ? [channelId] : [],
        };
      });
      return { ok: true, files };
    },
  };

  // ── state helpers ────────────────────────────────────────────────────────

  private nextTs(): string {
    const micros = Math.max(Math.floor(this.now()) * 1000, this.lastTsMicros + 100);
    this.lastTsMicros = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  private channelMessages(channel: string): StoredMessage[] {
    let list = this.channels.get(channel);
    if (!list) {
      list = [];
      this.channels.set(channel, list);
    }
    return list;
  }

  private findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.channels.get(channel)?.find((message) => message.ts === ts);
  }

  private userFor(id: string, configured: Partial<SlackUser> | undefined): SlackUser {
    const isBot = id === this.botUserId;
    const name = isBot ? 'mfa-bot' : id.toLowerCase();
    const realName = configured?.real_name ?? (isBot ? 'MFA Bot' : `Simulated User ${id}`);
    const base: SlackUser = {
      id,
      team_id: this.teamId,
      name,
      real_name: realName,
      deleted: false,
      tz: 'Europe/London',
      tz_label: 'Greenwich Mean Time',
      tz_offset: 0,
      is_admin: false,
      is_owner: false,
      is_bot: isBot,
      is_app_user: false,
      updated: Math.floor(this.now() / 1000),
      profile: {},
    };
    const user: SlackUser = { ...base, ...configured, id };
    user.profile = {
      real_name: user.real_name,
      display_name: user.name,
      real_name_normalized: user.real_name,
      display_name_normalized: user.name,
      team: this.teamId,
      ...configured?.profile,
    };
    return user;
  }

  private viewFor(view: Record<string, unknown>): Record<string, unknown> {
    const id = `V0SIM${(++this.counter).toString().padStart(6, '0')}`;
    return {
      id,
      team_id: this.teamId,
      type: 'home',
      blocks: [],
      private_metadata: '',
      callback_id: '',
      state: { values: {} },
      hash: `${Math.floor(this.now() / 1000)}.${id}`,
      clear_on_close: false,
      notify_on_close: false,
      root_view_id: id,
      previous_view_id: null,
      app_id: this.appId,
      external_id: '',
      bot_id: this.botId,
      ...view,
    };
  }

  private anyView(body: Record<string, unknown>): ApiResult {
    const view = obj(body.view);
    if (!view) return { ok: false, error: 'invalid_arguments' };
    return { ok: true, view: this.viewFor(view) };
  }
}

// ── module helpers ───────────────────────────────────────────────────────────

function isOk(call: SlackCall): boolean {
  return call.status === 200 && typeof call.response === 'object' && call.response.ok === true;
}

function str(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function arr(value: unknown): unknown[] | undefined {
  return Array.isArray(value) ? value : undefined;
}

function obj(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === '1' || value === 1;
}

function compareTs(a: string, b: string): number {
  return Number(a) - Number(b);
}

/** Apply `oldest` / `latest` / `inclusive` (exclusive bounds unless `inclusive`). */
function filterRange<T extends { ts: string }>(messages: T[], body: Record<string, unknown>): T[] {
  const oldest = str(body.oldest);
  const latest = str(body.latest);
  const inclusive = truthy(body.inclusive);
  return messages.filter((message) => {
    const ts = Number(message.ts);
    if (oldest !== undefined && oldest !== '' && (inclusive ? ts < Number(oldest) : ts <= Number(oldest))) return false;
    if (latest !== undefined && latest !== '' && (inclusive ? ts > Number(latest) : ts >= Number(latest))) return false;
    return true;
  });
}

/** Cursor pagination over an already ordered list; the cursor is an opaque offset. */
function paginate(
  items: Array<Record<string, unknown> | StoredMessage>,
  body: Record<string, unknown>,
  defaultLimit: number,
  key: string,
  extra: Record<string, unknown>,
): ApiResult {
  const rawLimit = Number(body.limit);
  const limit = Number.isFinite(rawLimit) && rawLimit > 0 ? Math.min(Math.floor(rawLimit), 999) : defaultLimit;
  const cursor = str(body.cursor);
  const offset = cursor ? Number(Buffer.from(cursor, 'base64').toString('utf8').replace(/^offset:/, '')) || 0 : 0;
  const page = items.slice(offset, offset + limit).map((item) => structuredClone(item));
  const hasMore = offset + limit < items.length;
  return {
    ok: true,
    [key]: page,
    has_more: hasMore,
    ...extra,
    response_metadata: { next_cursor: hasMore ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '' },
  };
}

function faultResponse(fault: SlackFault): {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
} {
  const status = fault.status ?? (fault.retryAfter !== undefined ? 429 : fault.error !== undefined ? 200 : 500);
  const headers: Record<string, string> = {};
  if (status === 429 || fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter ?? 1);
  const error = fault.error ?? (status === 429 ? 'ratelimited' : status >= 500 ? 'internal_error' : 'fatal_error');
  return { status, headers, body: { ok: false, error } };
}

function extractToken(req: http.IncomingMessage, fields: Record<string, unknown>): string | undefined {
  const fromField = typeof fields.token === 'string' ? fields.token : undefined;
  delete fields.token;
  const auth = req.headers.authorization;
  const match = auth ? /^Bearer\s+(.+)$/i.exec(auth) : null;
  return match?.[1]?.trim() || fromField || undefined;
}

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

function sendText(res: http.ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function isMultipart(contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().startsWith('multipart/');
}

/**
 * Parse a request body into a plain object: query parameters, then form, JSON or multipart
 * fields. JSON-encoded values of known nested fields are decoded.
 */
export function parseRequestBody(
  raw: Buffer,
  contentType: string | undefined,
  query: URLSearchParams = new URLSearchParams(),
): { fields: Record<string, unknown>; files: MultipartPart[] } {
  const fields: Record<string, unknown> = Object.fromEntries(query.entries());
  const files: MultipartPart[] = [];
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const text = (): string => raw.toString('utf8');

  if (raw.length === 0) {
    // nothing to add
  } else if (type === 'application/x-www-form-urlencoded') {
    for (const [key, value] of new URLSearchParams(text())) fields[key] = value;
  } else if (type === 'application/json' || (type === '' && /^\s*[[{]/.test(text()))) {
    try {
      const parsed: unknown = JSON.parse(text());
      if (obj(parsed)) Object.assign(fields, parsed);
      else fields._json = parsed;
    } catch {
      fields._raw = text();
    }
  } else if (type.startsWith('multipart/')) {
    for (const part of parseMultipart(raw, contentType ?? '')) {
      if (part.filename !== undefined) files.push(part);
      else if (part.name !== undefined) fields[part.name] = part.data.toString('utf8');
    }
  } else {
    fields._raw = text();
  }

  for (const key of Object.keys(fields)) {
    const value = fields[key];
    if (JSON_FIELDS.has(key) && typeof value === 'string' && /^\s*[[{]/.test(value)) {
      try {
        fields[key] = JSON.parse(value);
      } catch {
        // keep the string
      }
    }
  }
  return { fields, files };
}

/** Minimal multipart/form-data parser: enough for fetch/undici FormData bodies. */
export function parseMultipart(raw: Buffer, contentType: string): MultipartPart[] {
  const boundaryMatch = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = boundaryMatch?.[1] ?? boundaryMatch?.[2]?.trim();
  if (!boundary) return [];
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let start = raw.indexOf(delimiter);
  while (start !== -1) {
    let partStart = start + delimiter.length;
    if (raw.subarray(partStart, partStart + 2).toString() === '--') break; // closing delimiter
    if (raw.subarray(partStart, partStart + 2).toString() === '\r\n') partStart += 2;
    const next = raw.indexOf(delimiter, partStart);
    if (next === -1) break;
    let partEnd = next;
    if (raw.subarray(partEnd - 2, partEnd).toString() === '\r\n') partEnd -= 2;
    const part = raw.subarray(partStart, partEnd);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headerText = headerEnd === -1 ? '' : part.subarray(0, headerEnd).toString('utf8');
    const data = headerEnd === -1 ? part : part.subarray(headerEnd + 4);
    const disposition = /content-disposition:([^\r\n]*)/i.exec(headerText)?.[1] ?? '';
    const partType = /content-type:\s*([^\r\n]*)/i.exec(headerText)?.[1]?.trim();
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    parts.push({ name, filename, contentType: partType, data: Buffer.from(data) });
    start = next;
  }
  return parts;
}

function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(dot + 1).toLowerCase() : '';
}

function guessMimeType(filename: string, bytes: Buffer): string {
  const byExtension: Record<string, string> = {
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    gif: 'image/gif',
    svg: 'image/svg+xml',
    csv: 'text/csv',
    txt: 'text/plain',
    json: 'application/json',
    pdf: 'application/pdf',
  };
  const known = byExtension[extensionOf(filename)];
  if (known) return known;
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return 'application/octet-stream';
}
