// Every ECR scenario (spec/scenarios/) with the aws CLI v1 (pip/pyenv, `aws` on PATH) against the built CLI.
import { awsCliV1Driver } from '../helpers/ecr-client-drivers';
import { describeEcrScenarios } from '../helpers/ecr-scenario-runner';
import { emulatorProcessTarget } from '../helpers/scenario-targets';
import { ECR_SCENARIOS } from '../scenarios/ecr-scenarios';

describe('aws CLI v1', () => {
  describeEcrScenarios(ECR_SCENARIOS, emulatorProcessTarget(awsCliV1Driver()), { expectedVersion: /^aws-cli\/1\./ });
});
