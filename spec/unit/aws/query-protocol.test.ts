// The query protocol (IAM, STS): flat form parameters into the input structure by its model shape, outputs into
// the XML answer, both on real IAM and STS shapes; wire variants (flattened, locationName, maps) on a small model.
import { GetCallerIdentityCommand, STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { CreateUserCommand, IAMClient, ListUsersCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { iamModel, stsModel, type QueryServiceModel, type Shape } from '../../../src/aws/model';
import {
  MAX_QUERY_LIST_MEMBERS,
  QueryError,
  deserializeQueryInput,
  readQueryRequest,
  serializeQueryResult,
} from '../../../src/aws/query-protocol';

const params = (text: string): URLSearchParams => new URLSearchParams(text);

/** What `deserialize` throws, as code and message. */
function queryErrorOf(deserialize: () => unknown): { code: string; message: string } {
  try {
    deserialize();
  } catch (error) {
    if (error instanceof QueryError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('no QueryError was thrown');
}

/** A client whose requests end here: the form body the SDK sent is kept, and `answer` is what comes back. */
function stubbedHandler(answer: () => { statusCode: number; body: string }) {
  const sent: string[] = [];
  const requestHandler = {
    async handle(request: { body?: unknown }) {
      sent.push(String(request.body));
      const { statusCode, body } = answer();
      return { response: { statusCode, headers: { 'content-type': 'text/xml' }, body: Buffer.from(body) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
  const config = { region: 'us-east-1', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' }, maxAttempts: 1, requestHandler };
  return { sent, config };
}

describe('readQueryRequest', () => {
  test('reads Action and Version from a form body', () => {
    const request = readQueryRequest(Buffer.from('Action=ListUsers&Version=2010-05-08&MaxItems=5'));
    expect([request.action, request.version, request.params.get('MaxItems')]).toEqual(['ListUsers', '2010-05-08', '5']);
  });

  test('reads a query string with its leading question mark', () => {
    expect(readQueryRequest('?Action=GetCallerIdentity&Version=2011-06-15').action).toBe('GetCallerIdentity');
  });

  test.each([
    ['an absent body', undefined],
    ['an empty body', ''],
    ['a body without Action', 'Version=2010-05-08'],
  ])('gives no action for %s', (_case, source) => {
    expect(readQueryRequest(source).action).toBeUndefined();
  });

  test('decodes form encoding: plus signs and percent escapes', () => {
    expect(readQueryRequest('PolicyDocument=%7B%22a%22%3A+1%7D').params.get('PolicyDocument')).toBe('{"a": 1}');
  });
});

describe('deserializeQueryInput on IAM and STS shapes', () => {
  test('reads CreateUser with a Tags list of structures', () => {
    const input = deserializeQueryInput(iamModel, 'CreateUser', params('UserName=bob&Path=%2Fteam%2F&Tags.member.1.Key=env&Tags.member.1.Value=prod&Tags.member.2.Key=team&Tags.member.2.Value=a'));
    expect(input).toEqual({ Path: '/team/', UserName: 'bob', Tags: [{ Key: 'env', Value: 'prod' }, { Key: 'team', Value: 'a' }] });
  });

  test('orders list elements by index, not by parameter order', () => {
    const input = deserializeQueryInput(iamModel, 'CreateUser', params('UserName=bob&Tags.member.2.Key=b&Tags.member.2.Value=2&Tags.member.1.Key=a&Tags.member.1.Value=1'));
    expect(input.Tags).toEqual([{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }]);
  });

  test('reads PutUserPolicy with its policy document as sent', () => {
    const document = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"ecr:*","Resource":"*"}]}';
    const body = new URLSearchParams({ UserName: 'bob', PolicyName: 'ecr', PolicyDocument: document }).toString();
    expect(deserializeQueryInput(iamModel, 'PutUserPolicy', params(body))).toEqual({ UserName: 'bob', PolicyName: 'ecr', PolicyDocument: document });
  });

  test('reads integers as numbers and booleans as booleans', () => {
    expect(deserializeQueryInput(iamModel, 'ListPolicies', params('MaxItems=25&OnlyAttached=true&Scope=Local'))).toEqual({ MaxItems: 25, OnlyAttached: true, Scope: 'Local' });
  });

  test('reads a list of scalars (STS TransitiveTagKeys)', () => {
    const input = deserializeQueryInput(stsModel, 'AssumeRole', params('RoleArn=arn&RoleSessionName=s&TransitiveTagKeys.member.1=a&TransitiveTagKeys.member.2=b'));
    expect(input.TransitiveTagKeys).toEqual(['a', 'b']);
  });

  test('reads an empty list from the bare parameter the SDKs send for one', () => {
    expect(deserializeQueryInput(iamModel, 'CreateUser', params('UserName=bob&Tags=')).Tags).toEqual([]);
  });

  test('gives an empty input to an operation without parameters', () => {
    expect(deserializeQueryInput(stsModel, 'GetCallerIdentity', params('Action=GetCallerIdentity&Version=2011-06-15'))).toEqual({});
  });

  test('ignores parameters the input shape does not name, Action and Version included', () => {
    expect(deserializeQueryInput(iamModel, 'GetUser', params('Action=GetUser&Version=2010-05-08&UserName=bob&Bogus=1&UserName.member.1=x'))).toEqual({ UserName: 'bob' });
  });

  test('leaves absent members out, and keeps an empty string as sent', () => {
    expect(deserializeQueryInput(iamModel, 'CreateUser', params('UserName='))).toEqual({ UserName: '' });
  });

  test('gives an empty input to an operation the model does not have', () => {
    expect(deserializeQueryInput(iamModel, '__proto__', params('UserName=bob'))).toEqual({});
  });

  test.each([
    ['an integer that is not a number', 'ListUsers', 'MaxItems=abc', "Value 'abc' for parameter MaxItems is not a valid integer."],
    ['an integer with a fraction', 'ListUsers', 'MaxItems=1.5', "Value '1.5' for parameter MaxItems is not a valid integer."],
    ['an integer past 32 bits', 'ListUsers', 'MaxItems=2147483648', "Value '2147483648' for parameter MaxItems is not a valid integer."],
    ['a boolean that is neither true nor false', 'ListPolicies', 'OnlyAttached=yes', "Value 'yes' for parameter OnlyAttached is not a valid boolean."],
  ])('refuses %s with ValidationError', (_case, operation, body, message) => {
    expect(queryErrorOf(() => deserializeQueryInput(iamModel, operation, params(body)))).toEqual({ code: 'ValidationError', message });
  });
});

describe('deserializeQueryInput bounds', () => {
  test(`reads a list of ${MAX_QUERY_LIST_MEMBERS} elements`, () => {
    const body = Array.from({ length: MAX_QUERY_LIST_MEMBERS }, (_unused, index) => `TransitiveTagKeys.member.${index + 1}=k${index}`).join('&');
    expect(deserializeQueryInput(stsModel, 'AssumeRole', params(body)).TransitiveTagKeys).toHaveLength(MAX_QUERY_LIST_MEMBERS);
  });

  test('refuses a list index beyond the bound with ValidationError', () => {
    expect(queryErrorOf(() => deserializeQueryInput(iamModel, 'CreateUser', params(`UserName=bob&Tags.member.${MAX_QUERY_LIST_MEMBERS + 1}.Key=k`)))).toEqual({
      code: 'ValidationError',
      message: `Parameter Tags.member.${MAX_QUERY_LIST_MEMBERS + 1} is beyond the ${MAX_QUERY_LIST_MEMBERS} members a list may have.`,
    });
  });

  test.each([
    ['a zero index', 'Tags.member.0.Key=k'],
    ['a zero-padded index', 'Tags.member.01.Key=k'],
    ['an index that is not a number', 'Tags.member.x.Key=k'],
  ])('ignores %s', (_case, tag) => {
    expect(deserializeQueryInput(iamModel, 'CreateUser', params(`UserName=bob&${tag}`))).toEqual({ UserName: 'bob' });
  });

  test('ignores a parameter name of thousands of segments', () => {
    expect(deserializeQueryInput(iamModel, 'CreateUser', params(`UserName=bob&Tags${'.member.1'.repeat(5000)}=x`))).toEqual({ UserName: 'bob' });
  });
});

/** A small query model with the wire variants IAM and STS inputs do not use. */
const WIRE_MODEL: QueryServiceModel = {
  metadata: { apiVersion: '2020-01-01', protocol: 'query', serviceId: 'Wire', endpointPrefix: 'wire', xmlNamespace: 'https://wire.example/doc/' },
  operations: { Echo: { name: 'Echo', input: { shape: 'EchoInput' }, output: { shape: 'EchoOutput', resultWrapper: 'EchoResult' } } },
  shapes: {
    EchoInput: {
      type: 'structure',
      members: {
        Flat: { shape: 'FlatList' },
        Named: { shape: 'NamedList', locationName: 'Renamed' },
        Labels: { shape: 'Labels' },
        FlatLabels: { shape: 'FlatLabels' },
        At: { shape: 'Time' },
        Ratio: { shape: 'Ratio' },
        Size: { shape: 'Size' },
        Data: { shape: 'Data' },
      },
    },
    EchoOutput: {
      type: 'structure',
      members: {
        Flat: { shape: 'FlatList' },
        Named: { shape: 'NamedList', locationName: 'Renamed' },
        Labels: { shape: 'Labels' },
        FlatLabels: { shape: 'FlatLabels' },
        At: { shape: 'Time' },
        Ratio: { shape: 'Ratio' },
        Size: { shape: 'Size' },
        Data: { shape: 'Data' },
      },
    },
    FlatList: { type: 'list', member: { shape: 'Text' }, flattened: true },
    NamedList: { type: 'list', member: { shape: 'Text', locationName: 'item' } },
    Labels: { type: 'map', key: { shape: 'Text' }, value: { shape: 'Text' } },
    FlatLabels: { type: 'map', key: { shape: 'Text', locationName: 'Name' }, value: { shape: 'Text', locationName: 'Content' }, flattened: true },
    Text: { type: 'string' },
    Time: { type: 'timestamp' },
    Ratio: { type: 'double' },
    Size: { type: 'long' },
    Data: { type: 'blob' },
  } satisfies Record<string, Shape>,
};

describe('deserializeQueryInput wire variants', () => {
  test.each([
    ['a flattened list as Name.N', 'Flat.1=a&Flat.2=b', { Flat: ['a', 'b'] }],
    ['a list under its locationName, elements under the member locationName', 'Renamed.item.1=a', { Named: ['a'] }],
    ['a map as Name.entry.N.key and .value', 'Labels.entry.1.key=k&Labels.entry.1.value=v&Labels.entry.2.key=j&Labels.entry.2.value=w', { Labels: { k: 'v', j: 'w' } }],
    ['a flattened map with key and value locationNames', 'FlatLabels.1.Name=k&FlatLabels.1.Content=v', { FlatLabels: { k: 'v' } }],
    ['a map key __proto__ as an ordinary key', 'Labels.entry.1.key=__proto__&Labels.entry.1.value=v', { Labels: Object.fromEntries([['__proto__', 'v']]) }],
    ['an ISO 8601 timestamp as a Date', 'At=2026-12-01T22:55:38Z', { At: new Date('2026-12-01T22:55:38Z') }],
    ['an epoch-seconds timestamp as a Date', 'At=1796165738', { At: new Date(1796165738 * 1000) }],
    ['a double and a long as numbers', 'Ratio=0.25&Size=-9007199254740991', { Ratio: 0.25, Size: -9007199254740991 }],
    ['a blob as its base64 text', 'Data=aGk%3D', { Data: 'aGk=' }],
  ])('reads %s', (_case, body, expected) => {
    expect(deserializeQueryInput(WIRE_MODEL, 'Echo', params(body))).toEqual(expected);
  });

  test('skips a map entry without a key', () => {
    expect(deserializeQueryInput(WIRE_MODEL, 'Echo', params('Labels.entry.1.value=v'))).toEqual({ Labels: {} });
  });

  test.each([
    ['a timestamp that is not one', 'At=yesterday', "Value 'yesterday' for parameter At is not a valid timestamp."],
    ['a double that is not a number', 'Ratio=abc', "Value 'abc' for parameter Ratio is not a valid number."],
    ['a long past the safe integers', 'Size=9007199254740993', "Value '9007199254740993' for parameter Size is not a valid long."],
  ])('refuses %s with ValidationError', (_case, body, message) => {
    expect(queryErrorOf(() => deserializeQueryInput(WIRE_MODEL, 'Echo', params(body)))).toEqual({ code: 'ValidationError', message });
  });
});

describe('serializeQueryResult', () => {
  const createDate = new Date('2026-12-01T22:55:38.123Z');
  const user = { Path: '/', UserName: 'bob', UserId: 'AIDAEXAMPLEEXAMPLE01', Arn: 'arn:aws:iam::123456789012:user/bob', CreateDate: createDate };

  test('wraps the output in the result wrapper, namespaced, with the request id', () => {
    expect(serializeQueryResult(iamModel, 'CreateUser', { User: user }, 'req-1')).toBe(
      '<CreateUserResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><CreateUserResult><User><Path>/</Path><UserName>bob</UserName>' +
        '<UserId>AIDAEXAMPLEEXAMPLE01</UserId><Arn>arn:aws:iam::123456789012:user/bob</Arn><CreateDate>2026-12-01T22:55:38Z</CreateDate></User>' +
        '</CreateUserResult><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></CreateUserResponse>',
    );
  });

  test('answers an operation without output with the response metadata only', () => {
    expect(serializeQueryResult(iamModel, 'PutUserPolicy', undefined, 'req-2')).toBe(
      '<PutUserPolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><ResponseMetadata><RequestId>req-2</RequestId></ResponseMetadata></PutUserPolicyResponse>',
    );
  });

  test('writes list elements as member elements, booleans as true and false', () => {
    const xml = serializeQueryResult(iamModel, 'ListUsers', { Users: [user, { ...user, UserName: 'eve' }], IsTruncated: true, Marker: 'm1' }, 'r');
    expect(xml).toContain('<Users><member><Path>/</Path><UserName>bob</UserName>');
    expect(xml).toContain('</member><member><Path>/</Path><UserName>eve</UserName>');
    expect(xml).toContain('</member></Users><IsTruncated>true</IsTruncated><Marker>m1</Marker></ListUsersResult>');
  });

  test('writes an empty list as an empty element', () => {
    expect(serializeQueryResult(iamModel, 'ListUsers', { Users: [], IsTruncated: false }, 'r')).toContain('<ListUsersResult><Users></Users><IsTruncated>false</IsTruncated></ListUsersResult>');
  });

  test('escapes text', () => {
    expect(serializeQueryResult(iamModel, 'CreateUser', { User: { ...user, Path: `/a<b>&'"\r/` } }, 'r')).toContain('<Path>/a&lt;b&gt;&amp;&apos;&quot;&#xD;/</Path>');
  });

  test('leaves out members the output shape does not name, and undefined or null members', () => {
    const xml = serializeQueryResult(iamModel, 'CreateUser', { User: { ...user, PasswordLastUsed: undefined, PermissionsBoundary: null, Secret: 'x' } }, 'r');
    expect(xml).not.toMatch(/PasswordLastUsed|PermissionsBoundary|Secret/);
  });

  test.each([
    ['a flattened list repeats its element', { Flat: ['a', 'b'] }, '<Flat>a</Flat><Flat>b</Flat>'],
    ['a list takes its locationName and its member locationName', { Named: ['a'] }, '<Renamed><item>a</item></Renamed>'],
    ['a map writes entry, key and value elements', { Labels: { k: 'v' } }, '<Labels><entry><key>k</key><value>v</value></entry></Labels>'],
    ['a flattened map repeats its element with key and value locationNames', { FlatLabels: { k: 'v', j: 'w' } }, '<FlatLabels><Name>k</Name><Content>v</Content></FlatLabels><FlatLabels><Name>j</Name><Content>w</Content></FlatLabels>'],
    ['a double and a long as numbers', { Ratio: 0.5, Size: 7 }, '<Ratio>0.5</Ratio><Size>7</Size>'],
    ['a blob of bytes as base64', { Data: Buffer.from('hi') }, '<Data>aGk=</Data>'],
  ])('%s', (_case, output, expected) => {
    expect(serializeQueryResult(WIRE_MODEL, 'Echo', output, 'r')).toContain(`<EchoResult>${expected}</EchoResult>`);
  });

  test.each([
    ['a string where a Date belongs', { User: { ...user, CreateDate: '2026-12-01' } }],
    ['a list where a structure belongs', { User: [user] }],
    ['a number where a string belongs', { User: { ...user, UserName: 7 } }],
  ])('throws an Error (a handler bug) for %s', (_case, output) => {
    expect(() => serializeQueryResult(iamModel, 'CreateUser', output, 'r')).toThrow(Error);
  });

  test('throws an Error for an operation the model does not have', () => {
    expect(() => serializeQueryResult(iamModel, 'constructor', {}, 'r')).toThrow('constructor is not an operation of the IAM model');
  });
});

describe('round trips through the AWS SDK', () => {
  test('CreateUser with tags: the SDK request deserializes to the input the SDK was given', async () => {
    const { sent, config } = stubbedHandler(() => ({ statusCode: 200, body: serializeQueryResult(iamModel, 'PutUserPolicy', undefined, 'r') }));
    const tags = [{ Key: 'env', Value: 'prod' }, { Key: 'a b', Value: 'x=y' }];
    await new IAMClient(config).send(new CreateUserCommand({ UserName: 'bob', Path: '/team/', Tags: tags })).catch(() => undefined);
    expect(deserializeQueryInput(iamModel, 'CreateUser', readQueryRequest(sent[0]).params)).toEqual({ Path: '/team/', UserName: 'bob', Tags: tags });
  });

  test('CreateUser: the SDK parses the serialized user, its CreateDate a Date', async () => {
    const createDate = new Date('2026-12-01T22:55:38Z');
    const user = { Path: '/', UserName: 'bob', UserId: 'AIDAEXAMPLEEXAMPLE01', Arn: 'arn:aws:iam::123456789012:user/bob', CreateDate: createDate, Tags: [{ Key: 'k', Value: 'v' }] };
    const { config } = stubbedHandler(() => ({ statusCode: 200, body: serializeQueryResult(iamModel, 'CreateUser', { User: user }, 'r') }));
    const output = await new IAMClient(config).send(new CreateUserCommand({ UserName: 'bob' }));
    expect(output.User).toEqual(user);
  });

  test('ListUsers: the SDK parses the users, IsTruncated and Marker', async () => {
    const user = (name: string) => ({ Path: '/', UserName: name, UserId: `AIDA${name.toUpperCase()}EXAMPLE00000`, Arn: `arn:aws:iam::123456789012:user/${name}`, CreateDate: new Date('2026-01-02T03:04:05Z') });
    const page = { Users: [user('bob'), user('eve')], IsTruncated: true, Marker: 'next-page' };
    const { config } = stubbedHandler(() => ({ statusCode: 200, body: serializeQueryResult(iamModel, 'ListUsers', page, 'r') }));
    const { Users, IsTruncated, Marker } = await new IAMClient(config).send(new ListUsersCommand({ MaxItems: 2 }));
    expect({ Users, IsTruncated, Marker }).toEqual(page);
  });

  test('the SDK reads escaped text back unchanged, carriage returns included', async () => {
    const user = { Path: '/', UserName: 'bob', UserId: 'AIDAEXAMPLEEXAMPLE01', Arn: 'arn:aws:iam::123456789012:user/bob', CreateDate: new Date('2026-12-01T22:55:38Z'), Tags: [{ Key: 'k', Value: `a<&>"'\r\nb` }] };
    const { config } = stubbedHandler(() => ({ statusCode: 200, body: serializeQueryResult(iamModel, 'CreateUser', { User: user }, 'r') }));
    expect((await new IAMClient(config).send(new CreateUserCommand({ UserName: 'bob' }))).User?.Tags).toEqual(user.Tags);
  });

  test('PutUserPolicy: the policy document arrives as the SDK sent it', async () => {
    const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['ecr:Get*', 'ecr:List*'], Resource: '*' }] }, null, 2);
    const { sent, config } = stubbedHandler(() => ({ statusCode: 200, body: serializeQueryResult(iamModel, 'PutUserPolicy', undefined, 'r') }));
    await new IAMClient(config).send(new PutUserPolicyCommand({ UserName: 'bob', PolicyName: 'ecr', PolicyDocument: document }));
    expect(deserializeQueryInput(iamModel, 'PutUserPolicy', readQueryRequest(sent[0]).params)).toEqual({ UserName: 'bob', PolicyName: 'ecr', PolicyDocument: document });
  });

  test('GetCallerIdentity: the SDK parses account, user id and ARN', async () => {
    const identity = { UserId: 'AIDAEXAMPLEEXAMPLE01', Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/bob' };
    const { config } = stubbedHandler(() => ({ statusCode: 200, body: serializeQueryResult(stsModel, 'GetCallerIdentity', identity, 'r') }));
    const { UserId, Account, Arn } = await new STSClient(config).send(new GetCallerIdentityCommand({}));
    expect({ UserId, Account, Arn }).toEqual(identity);
  });

  test('AssumeRole: the SDK parses the credentials, their Expiration a Date', async () => {
    const result = {
      Credentials: { AccessKeyId: 'ASIAEXAMPLEEXAMPLE01', SecretAccessKey: 'secret/+=', SessionToken: 'token', Expiration: new Date('2026-12-01T23:55:38Z') },
      AssumedRoleUser: { AssumedRoleId: 'AROAEXAMPLE:session', Arn: 'arn:aws:sts::123456789012:assumed-role/deployer/session' },
      PackedPolicySize: 6,
    };
    const { config } = stubbedHandler(() => ({ statusCode: 200, body: serializeQueryResult(stsModel, 'AssumeRole', result, 'r') }));
    const { Credentials, AssumedRoleUser, PackedPolicySize } = await new STSClient(config).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/deployer', RoleSessionName: 'session' }));
    expect({ Credentials, AssumedRoleUser, PackedPolicySize }).toEqual(result);
  });

  test('AssumeRole: the SDK request deserializes with its duration a number and its tags a list', async () => {
    const { sent, config } = stubbedHandler(() => ({ statusCode: 200, body: serializeQueryResult(stsModel, 'AssumeRole', {}, 'r') }));
    const input = { RoleArn: 'arn:aws:iam::123456789012:role/deployer', RoleSessionName: 'session', DurationSeconds: 3600, Tags: [{ Key: 'k', Value: 'v' }], TransitiveTagKeys: ['k'] };
    await new STSClient(config).send(new AssumeRoleCommand(input));
    expect(deserializeQueryInput(stsModel, 'AssumeRole', readQueryRequest(sent[0]).params)).toEqual(input);
  });
});
