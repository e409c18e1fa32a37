// Request and event logging: one line per request, as text or JSON, filtered by level. Writes to a sink (stderr
// by default) so tests can capture it.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  log(level: Exclude<LogLevel, 'silent'>, message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(options: { level: LogLevel; format: 'text' | 'json'; write?: (line: string) => void }): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  return {
    log(level, message, fields = {}) {
      if (RANK[level] < RANK[options.level]) return;
      if (options.format === 'json') {
        write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
        return;
      }
      const extras = Object.entries(fields)
        .filter(([, value]) => value !== undefined)
        .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
        .join(' ');
      write(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}${extras ? ` ${extras}` : ''}`);
    },
  };
}
