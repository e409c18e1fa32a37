// Process logging: leveled lines as text or JSON on one sink (stderr by default), and the one line per HTTP
// request that both planes write through `request()`. Knows nothing about express, planes or the store.
//
// Convention for every module that is handed a Logger:
//   logger.request({ method, path, repository, principal, status, durationMs, requestId, error })   once per HTTP request
//   logger.log('info', 'data dir opened', { path })                                       an event worth a line
//   logger.log('error', 'manifest write failed', { requestId, error: String(error.stack) })  a bug: always the request id
// Messages are short and constant; whatever varies goes into fields, so JSON logs stay greppable.
import { systemClock, type Clock } from '../kernel/clock';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type LogFormat = 'text' | 'json';
export type LogFields = Record<string, unknown>;

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** One HTTP request, as both planes report it. The control plane names the operation, the data plane the path. */
export interface RequestLogEntry {
  method: string;
  /** ECR operation, e.g. `CreateRepository`; absent on the data plane. */
  operation?: string;
  /** Request path, e.g. `/v2/app/manifests/latest`; shown when there is no operation. */
  path?: string;
  repository?: string;
  /** Who called: the principal's ARN (`arn:aws:iam::…:user/alice`), once the request was authenticated. */
  principal?: string;
  status: number;
  durationMs: number;
  requestId?: string;
  /** The error code the response carries: an AWS `__type` or an OCI code. */
  error?: string;
}

export interface Logger {
  /** An event. Dropped below the configured level; fields with an undefined value are left out. */
  log(level: Exclude<LogLevel, 'silent'>, message: string, fields?: LogFields): void;
  /** The request line: `info`, or `error` for a 5xx answer (a 5xx is always an emulator bug or a store failure). */
  request(entry: RequestLogEntry): void;
}

export interface LoggerOptions {
  level: LogLevel;
  format: LogFormat;
  /** Receives each line without its newline; default stderr. */
  write?: (line: string) => void;
  clock?: Clock;
}

function textValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value instanceof Error) return JSON.stringify(value.stack ?? value.message);
  return JSON.stringify(value) ?? String(value);
}

function definedFields(fields: LogFields): [string, unknown][] {
  return Object.entries(fields).filter(([, value]) => value !== undefined);
}

/** `POST CreateRepository 400 3ms repository=app error=RepositoryAlreadyExistsException` */
function requestMessage(entry: RequestLogEntry): string {
  return `${entry.method} ${entry.operation ?? entry.path ?? '-'} ${entry.status} ${entry.durationMs}ms`;
}

export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const clock = options.clock ?? systemClock;
  const isEnabled = (level: LogLevel): boolean => RANK[level] >= RANK[options.level] && options.level !== 'silent';

  const emit = (level: Exclude<LogLevel, 'silent'>, message: string, fields: LogFields, jsonFields: LogFields = fields): void => {
    const time = clock.now().toISOString();
    if (options.format === 'json') {
      write(JSON.stringify({ time, level, message, ...Object.fromEntries(definedFields(jsonFields)) }));
      return;
    }
    const extras = definedFields(fields).map(([key, value]) => `${key}=${textValue(value)}`);
    write([time, level.toUpperCase().padEnd(5), message, ...extras].join(' '));
  };

  return {
    log(level, message, fields = {}) {
      if (isEnabled(level)) emit(level, message, fields);
    },
    request(entry) {
      const level = entry.status >= 500 ? 'error' : 'info';
      if (!isEnabled(level)) return;
      // Text keeps the line short: method, target, status and time lead; the request id only where it helps a bug report.
      const textFields = { repository: entry.repository, principal: entry.principal, error: entry.error, requestId: entry.status >= 500 ? entry.requestId : undefined };
      emit(level, requestMessage(entry), textFields, { ...entry });
    },
  };
}
