// The least-privilege policy from a principal's decision records: one statement per resource, sorted distinct
// actions, "*"-resource actions together, Sids from repository names, and the same output for any record order.
import type { DecisionRecord, DecisionResult } from '../../../src/auth/decision-log';
import { IDENTITY_POLICY_RULES, parsePolicyDocument } from '../../../src/auth/iam-policy';
import { suggestedPolicy } from '../../../src/auth/suggested-policy';

const ALICE = 'arn:aws:iam::111111111111:user/alice';
const repository = (name: string, account = '111111111111', region = 'us-east-1'): string => `arn:aws:ecr:${region}:${account}:repository/${name}`;

function entry(action: string, resource: string, result: DecisionResult = 'allowed'): DecisionRecord {
  return { at: new Date(0), principal: ALICE, action, resource, result, reason: result === 'allowed' ? 'allowed' : 'no-identity-allow', statements: [] };
}

describe('suggestedPolicy', () => {
  it('is an empty policy without records', () => {
    expect(suggestedPolicy([])).toEqual({ Version: '2012-10-17', Statement: [] });
  });

  it('grants the actions of a pull on the repository pulled from, and the token on "*"', () => {
    const policy = suggestedPolicy([
      entry('ecr:GetAuthorizationToken', '*'),
      entry('ecr:BatchGetImage', repository('app')),
      entry('ecr:GetDownloadUrlForLayer', repository('app')),
    ]);
    expect(policy).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'Registry', Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: ['*'] },
        { Sid: 'App', Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: [repository('app')] },
      ],
    });
  });

  it('counts denied and would-be-denied requests as much as allowed ones', () => {
    const policy = suggestedPolicy([
      entry('ecr:BatchGetImage', repository('app'), 'allowed'),
      entry('ecr:PutImage', repository('app'), 'denied'),
      entry('ecr:InitiateLayerUpload', repository('app'), 'would-be-denied'),
    ]);
    expect(policy.Statement.map((statement) => statement.Action)).toEqual([['ecr:BatchGetImage', 'ecr:InitiateLayerUpload', 'ecr:PutImage']]);
  });

  it('names each action once, however often and in whatever case it was asked for', () => {
    const policy = suggestedPolicy([
      entry('ecr:PutImage', repository('app')),
      entry('ecr:BatchGetImage', repository('app')),
      entry('ecr:PutImage', repository('app')),
      entry('ecr:putimage', repository('app')),
    ]);
    expect(policy.Statement[0]!.Action).toEqual(['ecr:BatchGetImage', 'ecr:PutImage']);
  });

  it('puts every action on "*" into one statement', () => {
    const policy = suggestedPolicy([
      entry('ecr:GetAuthorizationToken', '*'),
      entry('ecr:DescribeRegistry', '*'),
      entry('ecr:GetAuthorizationToken', '*'),
    ]);
    expect(policy.Statement).toEqual([{ Sid: 'Registry', Effect: 'Allow', Action: ['ecr:DescribeRegistry', 'ecr:GetAuthorizationToken'], Resource: ['*'] }]);
  });

  it('orders statements by resource, whatever order the records came in', () => {
    const records = [
      entry('ecr:BatchGetImage', repository('zeta')),
      entry('ecr:GetAuthorizationToken', '*'),
      entry('ecr:PutImage', repository('alpha')),
      entry('ecr:BatchGetImage', repository('alpha')),
    ];
    const forwards = suggestedPolicy(records);
    expect(forwards.Statement.map((statement) => statement.Resource[0])).toEqual(['*', repository('alpha'), repository('zeta')]);
    expect(suggestedPolicy([...records].reverse())).toEqual(forwards);
  });

  it.each([
    ['team/web-app', 'TeamWebApp'],
    ['base_images.v2', 'BaseImagesV2'],
    ['7zip', '7zip'],
  ])('derives the Sid of repository %s in PascalCase: %s', (name, sid) => {
    expect(suggestedPolicy([entry('ecr:BatchGetImage', repository(name))]).Statement[0]!.Sid).toBe(sid);
  });

  it('names the statement on every repository AllRepositories', () => {
    expect(suggestedPolicy([entry('ecr:DescribeRepositories', repository('*'))]).Statement[0]!.Sid).toBe('AllRepositories');
  });

  it('numbers Sids that would clash, such as one repository name in two accounts', () => {
    const policy = suggestedPolicy([
      entry('ecr:BatchGetImage', repository('app', '222222222222')),
      entry('ecr:BatchGetImage', repository('app', '111111111111')),
    ]);
    expect(policy.Statement.map((statement) => [statement.Sid, statement.Resource[0]])).toEqual([
      ['App', repository('app', '111111111111')],
      ['App2', repository('app', '222222222222')],
    ]);
  });

  it('keeps the Sid Registry for "*" when a repository is named registry', () => {
    const policy = suggestedPolicy([entry('ecr:BatchGetImage', repository('registry')), entry('ecr:GetAuthorizationToken', '*')]);
    expect(policy.Statement.map((statement) => statement.Sid)).toEqual(['Registry', 'Registry2']);
  });

  it('gives only Sids of letters and digits, unique within the policy', () => {
    const names = ['app', 'App', 'a.p.p', 'team/app', 'team-app', 'registry', '*'];
    const sids = suggestedPolicy([entry('ecr:GetAuthorizationToken', '*'), ...names.map((name) => entry('ecr:BatchGetImage', repository(name)))]).Statement.map(
      (statement) => statement.Sid,
    );
    expect(sids.every((sid) => /^[A-Za-z0-9]+$/.test(sid))).toBe(true);
    expect(new Set(sids.map((sid) => sid.toLowerCase())).size).toBe(sids.length);
  });

  it('is a document the IAM identity-policy grammar accepts', () => {
    const policy = suggestedPolicy([entry('ecr:GetAuthorizationToken', '*'), entry('ecr:BatchGetImage', repository('team/app'))]);
    const document = parsePolicyDocument(JSON.stringify(policy), IDENTITY_POLICY_RULES);
    expect(document.statements.map((statement) => [statement.sid, statement.actions, statement.resources])).toEqual([
      ['Registry', ['ecr:GetAuthorizationToken'], ['*']],
      ['TeamApp', ['ecr:BatchGetImage'], [repository('team/app')]],
    ]);
  });
});
