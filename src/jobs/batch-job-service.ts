// CreateModelInvocationJob / GetModelInvocationJob / ListModelInvocationJobs / StopModelInvocationJob: the
// job row is created Submitted; workers read its input, run its records and write its output.
import { BedrockError, validationError } from "../core/errors.js";
import type {
  CreateModelInvocationJobRequest, ListModelInvocationJobsRequest, ListModelInvocationJobsResponse, ModelInvocationJobSummary,
} from "./batch-job-types.js";
import type { Caller } from "../core/caller.js";
import { jobArn, newJobId, parseJobIdentifier, scopeFor } from "./ids.js";
import type { JobEnv } from "./job-env.js";
import { isoTime, type JobRow } from "./job-row.js";
import { getJob, insertJob, listJobs, nextSubmitTime, recordCounts, type RecordCounts } from "./job-store.js";
import { parseListTimes } from "./list-times.js";
import { requestHash } from "./request-hash.js";
import { isS3Uri } from "./s3-paths.js";

/** Bedrock's limits for timeoutDurationInHours; without one a job may run for the longest. */
export const DEFAULT_TIMEOUT_HOURS = 168;
const HOUR_MS = 3_600_000;

const STATUSES = new Set(["Submitted", "InProgress", "Completed", "Failed", "Stopping", "Stopped", "PartiallyCompleted", "Expired", "Validating", "Scheduled"]);

export class BatchJobService {
  constructor(private readonly env: JobEnv) {}

  async create(input: CreateModelInvocationJobRequest, caller: Caller): Promise<{ jobArn: string }> {
    const inUri = input.inputDataConfig?.s3InputDataConfig?.s3Uri;
    const outUri = input.outputDataConfig?.s3OutputDataConfig?.s3Uri;
    if (typeof inUri !== "string" || !isS3Uri(inUri)) throw validationError("The provided S3 URI in inputDataConfig is invalid. Use an s3://bucket/key URI and try again.");
    if (typeof outUri !== "string" || !isS3Uri(outUri)) throw validationError("The provided S3 URI in outputDataConfig is invalid. Use an s3://bucket/prefix URI and try again.");
    if (!this.env.knowsModel(input.modelId)) throw validationError("The provided model identifier is invalid.");
    const hours = input.timeoutDurationInHours ?? DEFAULT_TIMEOUT_HOURS;

    const { clientRequestToken, ...request } = input;
    const id = newJobId();
    const submitTime = nextSubmitTime();
    const job = await insertJob(this.env.db, {
      id,
      kind: "batch",
      arn: jobArn("batch", id, scopeFor(this.env.scope, caller)),
      name: input.jobName,
      modelId: input.modelId,
      caller,
      clientToken: clientRequestToken,
      requestHash: requestHash({ caller: caller.name, request }),
      request: { ...request, timeoutDurationInHours: hours },
      status: "Submitted",
      submitTime,
      expiresAt: submitTime + hours * HOUR_MS,
    });
    if (job.id === id) this.env.nudge();
    return { jobArn: job.arn };
  }

  async get(identifier: string): Promise<ModelInvocationJobSummary> {
    const job = await this.find(identifier);
    const counts = await recordCounts(this.env.db, [job.id]);
    return toWire(job, counts.get(job.id));
  }

  async list(input: ListModelInvocationJobsRequest): Promise<ListModelInvocationJobsResponse> {
    if (input.sortBy !== undefined && input.sortBy !== "CreationTime") throw validationError("sortBy must be CreationTime.");
    if (input.statusEquals !== undefined && !STATUSES.has(input.statusEquals)) throw validationError(`statusEquals: ${input.statusEquals} is not a job status.`);
    const page = await listJobs(this.env.db, "batch", {
      ...parseListTimes(input.submitTimeAfter, input.submitTimeBefore),
      statusEquals: input.statusEquals,
      nameContains: input.nameContains,
      sortOrder: input.sortOrder,
      maxResults: input.maxResults,
      nextToken: input.nextToken,
    });
    const counts = await recordCounts(this.env.db, page.jobs.map((j) => j.id));
    return {
      invocationJobSummaries: page.jobs.map((j) => toWire(j, counts.get(j.id))),
      ...(page.nextToken !== undefined && { nextToken: page.nextToken }),
    };
  }

  /**
   * A Submitted job stops at once (nothing has run); an InProgress one becomes Stopping: records already
   * running finish, no new one starts, and a worker then writes the output of what ran and marks it Stopped.
   */
  async stop(identifier: string): Promise<void> {
    const job = await this.find(identifier);
    const now = Date.now();
    const changed = await this.env.db.execute(
      `UPDATE basalt_jobs SET
         status = CASE WHEN status = 'Submitted' THEN 'Stopped' ELSE 'Stopping' END,
         end_time = CASE WHEN status = 'Submitted' THEN $2 ELSE end_time END,
         last_modified_time = $2
       WHERE id = $1 AND status IN ('Submitted', 'InProgress')`,
      [job.id, now],
    );
    if (changed === 1) {
      this.env.nudge();
      return;
    }
    const current = await this.find(identifier);
    if (current.status === "Stopping" || current.status === "Stopped") return;
    throw validationError(`The job ${current.arn} can't be stopped because its status is ${current.status}.`);
  }

  private async find(identifier: string): Promise<JobRow> {
    const id = parseJobIdentifier("batch", identifier);
    const job = id && (await getJob(this.env.db, "batch", id));
    if (!job) throw new BedrockError("ResourceNotFoundException", `The batch inference job ${identifier} doesn't exist.`);
    return job;
  }
}

function toWire(job: JobRow, counts: RecordCounts | undefined): ModelInvocationJobSummary {
  const r = job.request as unknown as CreateModelInvocationJobRequest;
  return {
    jobArn: job.arn,
    jobName: job.name ?? "",
    modelId: job.modelId,
    ...(job.clientToken !== null && { clientRequestToken: job.clientToken }),
    roleArn: r.roleArn,
    status: job.status,
    ...(job.message !== null && { message: job.message }),
    submitTime: isoTime(job.submitTime),
    lastModifiedTime: isoTime(job.lastModifiedTime),
    ...(job.endTime !== null && { endTime: isoTime(job.endTime) }),
    inputDataConfig: r.inputDataConfig,
    outputDataConfig: r.outputDataConfig,
    ...(r.vpcConfig && { vpcConfig: r.vpcConfig }),
    timeoutDurationInHours: r.timeoutDurationInHours,
    ...(job.expiresAt !== null && { jobExpirationTime: isoTime(job.expiresAt) }),
    ...(r.modelInvocationType && { modelInvocationType: r.modelInvocationType }),
    ...(counts && {
      totalRecordCount: counts.total,
      processedRecordCount: counts.processed,
      successRecordCount: counts.success,
      errorRecordCount: counts.error,
    }),
  };
}
