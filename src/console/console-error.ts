// The console API's one error: a status and a message, answered as `{"message": "..."}`. The core's DomainError
// kinds map to statuses in console-api.ts; nothing else reaches the client.
export class ConsoleError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 415 | 429,
    message: string,
  ) {
    super(message);
    this.name = 'ConsoleError';
  }
}
