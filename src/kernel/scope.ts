// The key of all control-plane and registry state: one AWS account in one region. Nothing is shared across scopes.

export interface Scope {
  accountId: string;
  region: string;
}

export function scopeKey(scope: Scope): string {
  return `${scope.accountId}/${scope.region}`;
}
