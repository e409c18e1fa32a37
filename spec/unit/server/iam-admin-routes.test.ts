// The IAM emulator endpoints over HTTP: decisions newest first with their filters and wire shape, the suggested
// policy of one principal, and 400 with a message for every query they cannot answer.
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDecisionLog, type DecisionLog, type DecisionRecord } from '../../../src/auth/decision-log';
import { iamAdminRoutes } from '../../../src/server/iam-admin-routes';

const ALICE = 'arn:aws:iam::111111111111:user/alice';
const BOB = 'arn:aws:iam::111111111111:user/bob';
const APP = 'arn:aws:ecr:us-east-1:111111111111:repository/app';
const DENIAL = `User: ${BOB} is not authorized to perform: ecr:PutImage on resource: ${APP} because no identity-based policy allows the ecr:PutImage action`;

const PULL: DecisionRecord = {
  at: new Date('2030-01-01T00:00:01.000Z'),
  principal: ALICE,
  action: 'ecr:BatchGetImage',
  resource: APP,
  result: 'allowed',
  reason: 'allowed',
  statements: [{ policy: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser', kind: 'identity', statement: 'Statement[0]', effect: 'Allow', index: 0 }],
};
const TOKEN: DecisionRecord = { ...PULL, at: new Date('2030-01-01T00:00:02.000Z'), action: 'ecr:GetAuthorizationToken', resource: '*' };
const PUSH_DENIED: DecisionRecord = {
  at: new Date('2030-01-01T00:00:03.000Z'),
  principal: BOB,
  action: 'ecr:PutImage',
  resource: APP,
  result: 'denied',
  reason: 'no-identity-allow',
  message: DENIAL,
  statements: [],
};
const PUSH_SOFT: DecisionRecord = { ...PUSH_DENIED, at: new Date('2030-01-01T00:00:04.000Z'), principal: ALICE, result: 'would-be-denied' };

let server: Server;
let base: string;
let decisions: DecisionLog;

beforeAll(async () => {
  decisions = createDecisionLog();
  const app = express();
  app.use(iamAdminRoutes({ decisions }));
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

beforeEach(() => {
  decisions.clear();
  [PULL, TOKEN, PUSH_DENIED, PUSH_SOFT].forEach((record) => decisions.record(record));
});

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${base}${path}`);
  return { status: response.status, body: (await response.json()) as unknown };
}

/** The action and time of each decision answered, to compare selections compactly. */
async function selection(query: string): Promise<string[]> {
  const { status, body } = await get(`/_emulator/iam/decisions${query}`);
  expect(status).toBe(200);
  return (body as { decisions: { action: string; time: string }[] }).decisions.map((decision) => `${decision.time.slice(17, 19)} ${decision.action}`);
}

describe('GET /_emulator/iam/decisions', () => {
  it('answers every decision newest first', async () => {
    expect(await selection('')).toEqual(['04 ecr:PutImage', '03 ecr:PutImage', '02 ecr:GetAuthorizationToken', '01 ecr:BatchGetImage']);
  });

  it('answers a decision in its wire shape, with the ISO time and the statements without their kind', async () => {
    const { body } = await get('/_emulator/iam/decisions?limit=4');
    expect((body as { decisions: unknown[] }).decisions[3]).toEqual({
      time: '2030-01-01T00:00:01.000Z',
      principal: ALICE,
      action: 'ecr:BatchGetImage',
      resource: APP,
      decision: 'allowed',
      reason: 'allowed',
      statements: [{ policy: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser', statement: 'Statement[0]', effect: 'Allow' }],
    });
  });

  it('answers the denial message of a denied decision', async () => {
    const { body } = await get(`/_emulator/iam/decisions?decision=denied`);
    expect(body).toEqual({
      decisions: [{ time: '2030-01-01T00:00:03.000Z', principal: BOB, action: 'ecr:PutImage', resource: APP, decision: 'denied', reason: 'no-identity-allow', message: DENIAL, statements: [] }],
    });
  });

  it.each([
    [`?principal=${encodeURIComponent(BOB)}`, ['03 ecr:PutImage']],
    ['?action=ECR:getauthorizationtoken', ['02 ecr:GetAuthorizationToken']],
    ['?decision=would-be-denied', ['04 ecr:PutImage']],
    ['?decision=allowed&limit=1', ['02 ecr:GetAuthorizationToken']],
    [`?principal=${encodeURIComponent(ALICE)}&action=ecr:PutImage`, ['04 ecr:PutImage']],
  ])('filters with %s', async (query, expected) => {
    expect(await selection(query)).toEqual(expected);
  });

  it('answers an empty list when nothing matches', async () => {
    expect(await get('/_emulator/iam/decisions?principal=arn:aws:iam::111111111111:user/nobody')).toEqual({ status: 200, body: { decisions: [] } });
  });

  it.each([
    ['?decision=deny', "decision must be one of allowed, denied, would-be-denied, got 'deny'"],
    ['?limit=0', "limit must be an integer from 1 to 1000, got '0'"],
    ['?limit=1001', "limit must be an integer from 1 to 1000, got '1001'"],
    ['?limit=ten', "limit must be an integer from 1 to 1000, got 'ten'"],
    ['?limit=2.5', "limit must be an integer from 1 to 1000, got '2.5'"],
    ['?limit=', "limit must be an integer from 1 to 1000, got ''"],
    ['?limit=1&limit=2', 'limit must be given once'],
  ])('answers 400 with a message for %s', async (query, message) => {
    expect(await get(`/_emulator/iam/decisions${query}`)).toEqual({ status: 400, body: { message } });
  });
});

describe('GET /_emulator/iam/suggested-policy', () => {
  it("answers the policy that allows what the principal did, its denied requests included", async () => {
    expect(await get(`/_emulator/iam/suggested-policy?principal=${encodeURIComponent(ALICE)}`)).toEqual({
      status: 200,
      body: {
        Version: '2012-10-17',
        Statement: [
          { Sid: 'Registry', Effect: 'Allow', Action: ['ecr:GetAuthorizationToken'], Resource: ['*'] },
          { Sid: 'App', Effect: 'Allow', Action: ['ecr:BatchGetImage', 'ecr:PutImage'], Resource: [APP] },
        ],
      },
    });
  });

  it('answers an empty policy for a principal without records', async () => {
    const { status, body } = await get('/_emulator/iam/suggested-policy?principal=arn:aws:iam::111111111111:user/nobody');
    expect({ status, body }).toEqual({ status: 200, body: { Version: '2012-10-17', Statement: [] } });
  });

  it.each(['', '?principal=', `?principal=${encodeURIComponent(ALICE)}&principal=${encodeURIComponent(BOB)}`])('answers 400 with a message for %p', async (query) => {
    const { status, body } = await get(`/_emulator/iam/suggested-policy${query}`);
    expect(status).toBe(400);
    expect((body as { message: string }).message).toMatch(/^principal /);
  });
});
