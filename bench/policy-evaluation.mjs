#!/usr/bin/env node
// Policy evaluation cost: microseconds per decision of auth/policy-evaluation's evaluate() for a 100-statement identity
// policy (no statement applies, so every one is read; then every one read down to its conditions) and for a realistic user (three identity policies, a boundary,
// a repository policy), documents parsed once beforehand as the planes do. Prints figures; asserts nothing.
//
//   npm run build && node bench/policy-evaluation.mjs [ITERATIONS=200000]
//   EMULATOR_DIST=other/dist node bench/policy-evaluation.mjs     (another build, e.g. before a change)
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = process.env.EMULATOR_DIST ?? join(ROOT, 'dist');
const ITERATIONS = Number(process.argv[2] ?? 200000);
const require = createRequire(import.meta.url);
const { evaluate } = require(join(DIST, 'auth/policy-evaluation.js'));
const { parsePolicyDocument, IDENTITY_POLICY_RULES, REPOSITORY_POLICY_RULES } = require(join(DIST, 'auth/iam-policy.js'));
const { principalContext } = require(join(DIST, 'auth/principal-match.js'));

const ACCOUNT = '111111111111';
const REPO = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/team/app`;
const ALICE = { kind: 'user', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, accountId: ACCOUNT, userId: 'AIDAALICEEXAMPLE', tags: { team: 'team' }, identityArn: `arn:aws:iam::${ACCOUNT}:user/alice` };
const CONTEXT = { ...principalContext(ALICE), 'aws:RequestedRegion': ['us-east-1'], 'aws:SecureTransport': ['true'], 'aws:SourceIp': ['203.0.113.9'], 'aws:CurrentTime': [new Date().toISOString()] };

function identity(kind, name, statements) {
  return { kind, name, document: parsePolicyDocument(JSON.stringify({ Version: '2012-10-17', Statement: statements }), IDENTITY_POLICY_RULES) };
}

/** 100 statements of wildcard actions, resources with variables and conditions, none of which covers the request. */
function hundredStatements() {
  return Array.from({ length: 100 }, (_, index) => ({
    Sid: `S${index}`,
    Effect: index % 10 === 9 ? 'Deny' : 'Allow',
    Action: [`ecr:Describe${index}*`, `ecr:List?${index}`, `s3:Get${index}*`],
    Resource: [`arn:aws:ecr:*:${ACCOUNT}:repository/\${aws:username}-${index}/*`, `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/project-${index}`],
    ...(index % 3 === 0 ? { Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'eu-west-1'] }, Bool: { 'aws:SecureTransport': 'true' } } } : {}),
  }));
}

/** 100 statements that all cover the request and whose conditions all fail: every condition is read. */
function hundredConditionedStatements() {
  return Array.from({ length: 100 }, (_, index) => ({
    Sid: `C${index}`,
    Effect: 'Allow',
    Action: 'ecr:*',
    Resource: '*',
    Condition: { StringEquals: { 'aws:RequestedRegion': `eu-west-${index}` }, IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } },
  }));
}

function realisticUser() {
  const readOnly = identity('identity', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly', [
    { Effect: 'Allow', Action: ['ecr:GetAuthorizationToken', 'ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:GetRepositoryPolicy', 'ecr:DescribeRepositories', 'ecr:ListImages', 'ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:GetLifecyclePolicy', 'ecr:GetLifecyclePolicyPreview', 'ecr:ListTagsForResource', 'ecr:DescribeImageScanFindings'], Resource: '*' },
  ]);
  const push = identity('identity', 'inline policy push of user/alice', [
    { Sid: 'PushOwnTeam', Effect: 'Allow', Action: ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload'], Resource: `arn:aws:ecr:*:${ACCOUNT}:repository/\${aws:PrincipalTag/team}/*`, Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } },
  ]);
  const guard = identity('identity', 'inline policy guard of group/developers', [
    { Sid: 'NoDeletes', Effect: 'Deny', Action: ['ecr:DeleteRepository', 'ecr:BatchDeleteImage'], Resource: '*' },
    { Sid: 'TlsOnly', Effect: 'Deny', Action: 'ecr:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
  ]);
  const boundary = identity('permissions-boundary', `arn:aws:iam::${ACCOUNT}:policy/DeveloperBoundary`, [{ Effect: 'Allow', Action: ['ecr:*', 's3:*', 'logs:*'], Resource: '*' }]);
  const repositoryPolicy = {
    kind: 'resource',
    name: 'repository policy of team/app',
    document: parsePolicyDocument(JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'CiPush', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/ci` }, Action: ['ecr:PutImage', 'ecr:BatchGetImage'] },
        { Sid: 'PartnerPull', Effect: 'Allow', Principal: { AWS: '222222222222' }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] },
        { Sid: 'OfficeOnly', Effect: 'Deny', Principal: '*', Action: 'ecr:*', Condition: { NotIpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '198.51.100.0/24'] } } },
      ],
    }), REPOSITORY_POLICY_RULES),
  };
  return { identityPolicies: [readOnly, push, guard], permissionsBoundary: boundary, resourcePolicy: repositoryPolicy };
}

function microsecondsPerDecision(request) {
  for (let index = 0; index < Math.min(ITERATIONS, 20000); index += 1) evaluate(request);
  const started = process.hrtime.bigint();
  let allowed = 0;
  for (let index = 0; index < ITERATIONS; index += 1) if (evaluate(request).isAllowed) allowed += 1;
  const elapsedNs = Number(process.hrtime.bigint() - started);
  return { microseconds: elapsedNs / ITERATIONS / 1000, allowed: allowed === ITERATIONS };
}

const base = { principal: ALICE, resource: REPO, resourceAccountId: ACCOUNT, context: CONTEXT, evaluatesIdentityPolicies: true };
const scenarios = [
  ['100-statement identity policy, nothing applies', { ...base, action: 'ecr:BatchGetImage', identityPolicies: [identity('identity', 'hundred', hundredStatements())] }],
  ['100-statement identity policy, every condition read', { ...base, action: 'ecr:BatchGetImage', identityPolicies: [identity('identity', 'conditioned', hundredConditionedStatements())] }],
  ['realistic user, ecr:BatchGetImage (allowed)', { ...base, action: 'ecr:BatchGetImage', ...realisticUser() }],
  ['realistic user, ecr:PutImage (allowed)', { ...base, action: 'ecr:PutImage', ...realisticUser() }],
  ['realistic user, ecr:DeleteRepository (denied)', { ...base, action: 'ecr:DeleteRepository', ...realisticUser() }],
];

console.log(`node ${process.version}, ${ITERATIONS} decisions each`);
for (const [label, request] of scenarios) {
  const { microseconds, allowed } = microsecondsPerDecision(request);
  console.log(`${label.padEnd(48)} ${microseconds.toFixed(2).padStart(7)} µs/decision  (${allowed ? 'allowed' : 'denied'})`);
}
