// Every ECR scenario, written once against EcrClientDriver and run by describeEcrScenarios with the SDK over HTTP
// and in process (spec/integration/in-process.test.ts) and with the aws CLI v1, v2 and boto3 (spec/e2e/).
import type { ScenarioGroup } from '../helpers/ecr-scenario-runner';
import { ERROR_SCENARIOS } from './errors';
import { IMAGE_SCENARIOS } from './images';
import { POLICY_SCENARIOS } from './policies';
import { REPOSITORY_SCENARIOS } from './repositories';
import { ACCOUNT_SCENARIOS, TOKEN_SCENARIOS } from './tokens-and-accounts';

export const ECR_SCENARIOS: ScenarioGroup[] = [REPOSITORY_SCENARIOS, POLICY_SCENARIOS, TOKEN_SCENARIOS, ERROR_SCENARIOS, ACCOUNT_SCENARIOS, IMAGE_SCENARIOS];
