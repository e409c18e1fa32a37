// Every ECR scenario (spec/scenarios/) with boto3, one fixtures/clients/boto3-call.py process per call.
import { boto3Driver } from '../helpers/ecr-client-drivers';
import { describeEcrScenarios } from '../helpers/ecr-scenario-runner';
import { emulatorProcessTarget } from '../helpers/scenario-targets';
import { ECR_SCENARIOS } from '../scenarios/ecr-scenarios';

describe('boto3', () => {
  describeEcrScenarios(ECR_SCENARIOS, emulatorProcessTarget(boto3Driver()), { expectedVersion: /^boto3 1\.\d+\.\d+ botocore 1\.\d+\.\d+$/ });
});
