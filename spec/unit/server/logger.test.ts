// The log: levels, text and JSON lines, and the one request line both planes write.
import { createLogger, type LogFormat, type LogLevel } from '../../../src/server/logger';

const AT = new Date('2030-01-02T03:04:05.678Z');

function capture(level: LogLevel, format: LogFormat = 'text') {
  const lines: string[] = [];
  const logger = createLogger({ level, format, write: (line) => lines.push(line), clock: { now: () => AT } });
  return { logger, lines };
}

describe('createLogger', () => {
  it('writes an event as time, level, message and key=value fields', () => {
    const { logger, lines } = capture('info');
    logger.log('warn', 'token secret created', { path: '/data/token-secret', bytes: 32 });
    expect(lines).toEqual(['2030-01-02T03:04:05.678Z WARN  token secret created path=/data/token-secret bytes=32']);
  });

  it('quotes text values that contain spaces or quotes, so a line splits back into fields', () => {
    const { logger, lines } = capture('info');
    logger.log('info', 'opened', { note: 'two words', empty: '' });
    expect(lines[0]).toBe('2030-01-02T03:04:05.678Z INFO  opened note="two words" empty=""');
  });

  it('leaves out fields whose value is undefined', () => {
    const { logger, lines } = capture('info');
    logger.log('info', 'opened', { path: undefined, kind: 'memory' });
    expect(lines[0]).toBe('2030-01-02T03:04:05.678Z INFO  opened kind=memory');
  });

  it('writes an event in JSON as one object per line', () => {
    const { logger, lines } = capture('info', 'json');
    logger.log('error', 'write failed', { requestId: 'r-1', error: 'EIO' });
    expect(JSON.parse(lines[0]!)).toEqual({ time: '2030-01-02T03:04:05.678Z', level: 'error', message: 'write failed', requestId: 'r-1', error: 'EIO' });
  });

  it.each([
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['info', ['info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['error', ['error']],
    ['silent', []],
  ] as const)('at level %s writes %j', (level, written) => {
    const { logger, lines } = capture(level, 'json');
    for (const each of ['debug', 'info', 'warn', 'error'] as const) logger.log(each, each);
    expect(lines.map((line) => (JSON.parse(line) as { level: string }).level)).toEqual(written);
  });
});

describe('Logger.request', () => {
  const controlPlane = { method: 'POST', path: '/', operation: 'CreateRepository', repository: 'team/app', status: 400, durationMs: 3, requestId: 'r-1', error: 'RepositoryAlreadyExistsException' };

  it('writes the control plane line as method, operation, status, duration, repository and error', () => {
    const { logger, lines } = capture('info');
    logger.request(controlPlane);
    expect(lines).toEqual(['2030-01-02T03:04:05.678Z INFO  POST CreateRepository 400 3ms repository=team/app error=RepositoryAlreadyExistsException']);
  });

  it('names the path when there is no operation, as the data plane reports', () => {
    const { logger, lines } = capture('info');
    logger.request({ method: 'HEAD', path: '/v2/team/app/blobs/sha256:abc', repository: 'team/app', status: 200, durationMs: 1 });
    expect(lines).toEqual(['2030-01-02T03:04:05.678Z INFO  HEAD /v2/team/app/blobs/sha256:abc 200 1ms repository=team/app']);
  });

  it('logs a 5xx at error level with its request id, for the bug report', () => {
    const { logger, lines } = capture('error');
    logger.request({ method: 'POST', operation: 'PutImage', status: 500, durationMs: 9, requestId: 'r-9', error: 'ServerException' });
    expect(lines).toEqual(['2030-01-02T03:04:05.678Z ERROR POST PutImage 500 9ms error=ServerException requestId=r-9']);
  });

  it('drops a successful request line below info', () => {
    const { logger, lines } = capture('warn');
    logger.request({ ...controlPlane, status: 200 });
    expect(lines).toEqual([]);
  });

  it('writes every member of the request in JSON', () => {
    const { logger, lines } = capture('info', 'json');
    logger.request(controlPlane);
    expect(JSON.parse(lines[0]!)).toEqual({ time: '2030-01-02T03:04:05.678Z', level: 'info', message: 'POST CreateRepository 400 3ms', ...controlPlane });
  });
});
