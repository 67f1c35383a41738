// The control-plane shapes of batch inference (spec/bedrock.service-2.json), as far as the job engine
// reads and writes them. Timestamps leave as ISO 8601 strings.

export interface S3InputDataConfig {
  s3Uri: string;
  s3InputFormat?: "JSONL";
  s3BucketOwner?: string;
}

export interface S3OutputDataConfig {
  s3Uri: string;
  s3EncryptionKeyId?: string;
  s3BucketOwner?: string;
}

export interface Tag {
  key: string;
  value: string;
}

export interface CreateModelInvocationJobRequest {
  jobName: string;
  roleArn: string;
  clientRequestToken?: string;
  modelId: string;
  inputDataConfig: { s3InputDataConfig: S3InputDataConfig };
  outputDataConfig: { s3OutputDataConfig: S3OutputDataConfig };
  vpcConfig?: { subnetIds: string[]; securityGroupIds: string[] };
  timeoutDurationInHours?: number;
  tags?: Tag[];
  modelInvocationType?: "InvokeModel" | "Converse";
}

export interface ModelInvocationJobSummary {
  jobArn: string;
  jobName: string;
  modelId: string;
  clientRequestToken?: string;
  roleArn: string;
  status?: string;
  message?: string;
  submitTime: string;
  lastModifiedTime?: string;
  endTime?: string;
  inputDataConfig: { s3InputDataConfig: S3InputDataConfig };
  outputDataConfig: { s3OutputDataConfig: S3OutputDataConfig };
  vpcConfig?: { subnetIds: string[]; securityGroupIds: string[] };
  timeoutDurationInHours?: number;
  jobExpirationTime?: string;
  modelInvocationType?: "InvokeModel" | "Converse";
  totalRecordCount?: number;
  processedRecordCount?: number;
  successRecordCount?: number;
  errorRecordCount?: number;
}

export interface ListModelInvocationJobsRequest {
  submitTimeAfter?: string | Date;
  submitTimeBefore?: string | Date;
  statusEquals?: string;
  nameContains?: string;
  maxResults?: number;
  nextToken?: string;
  sortBy?: string;
  sortOrder?: "Ascending" | "Descending";
}

export interface ListModelInvocationJobsResponse {
  nextToken?: string;
  invocationJobSummaries?: ModelInvocationJobSummary[];
}
