// StartAsyncInvoke / GetAsyncInvoke / ListAsyncInvokes (DIGEST §10.3–10.5): the job row is the invocation;
// the worker runs it and writes `<s3Uri>/<invocation id>/output.json` and `manifest.json`.
import { validationError } from "../core/errors.js";
import type {
  GetAsyncInvokeResponse, ListAsyncInvokesRequest, ListAsyncInvokesResponse, StartAsyncInvokeRequest, StartAsyncInvokeResponse,
} from "../core/shapes.generated.js";
import type { Caller } from "../core/caller.js";
import { jobArn, modelArnOf, newJobId, parseJobIdentifier, scopeFor } from "./ids.js";
import type { JobEnv } from "./job-env.js";
import { isoTime, type JobRow } from "./job-row.js";
import { getJob, insertJob, listJobs, nextSubmitTime } from "./job-store.js";
import { parseListTimes } from "./list-times.js";
import { requestHash } from "./request-hash.js";
import { isS3Uri } from "./s3-paths.js";

export class AsyncInvokeService {
  constructor(private readonly env: JobEnv) {}

  async start(input: StartAsyncInvokeRequest, caller: Caller): Promise<StartAsyncInvokeResponse> {
    const s3Uri = input.outputDataConfig?.s3OutputDataConfig?.s3Uri;
    if (typeof s3Uri !== "string" || !isS3Uri(s3Uri)) {
      throw validationError("The provided S3 URI in outputDataConfig is invalid. Use an s3://bucket/prefix URI and try again.");
    }
    if (!this.env.knowsModel(input.modelId)) throw validationError("The provided model identifier is invalid.");
    if (input.modelInput === null || typeof input.modelInput !== "object" || Array.isArray(input.modelInput)) {
      throw validationError("The provided modelInput is invalid. Provide the model's request body as a JSON object and try again.");
    }
    this.env.checkModelInput?.(input.modelId, input.modelInput);

    const { clientRequestToken, ...request } = input;
    const id = newJobId();
    const job = await insertJob(this.env.db, {
      id,
      kind: "async",
      arn: jobArn("async", id, scopeFor(this.env.scope, caller)),
      modelId: input.modelId,
      caller,
      clientToken: clientRequestToken,
      requestHash: requestHash({ caller: caller.name, request }),
      request: { ...request },
      status: "InProgress",
      submitTime: nextSubmitTime(),
    });
    if (job.id === id) this.env.nudge();
    return { invocationArn: job.arn };
  }

  async get(invocationArn: string): Promise<GetAsyncInvokeResponse> {
    const id = parseJobIdentifier("async", invocationArn);
    const job = id && (await getJob(this.env.db, "async", id));
    // GetAsyncInvoke's model lists no ResourceNotFoundException: an unknown invocation is a bad ARN.
    if (!job) throw validationError(`The provided invocation ARN ${invocationArn} doesn't exist. Check the ARN and try again.`);
    return this.toWire(job);
  }

  async list(input: ListAsyncInvokesRequest): Promise<ListAsyncInvokesResponse> {
    if (input.sortBy !== undefined && input.sortBy !== "SubmissionTime") throw validationError("sortBy must be SubmissionTime.");
    const page = await listJobs(this.env.db, "async", {
      ...parseListTimes(input.submitTimeAfter, input.submitTimeBefore),
      statusEquals: input.statusEquals,
      sortOrder: input.sortOrder,
      maxResults: input.maxResults,
      nextToken: input.nextToken,
    });
    return {
      asyncInvokeSummaries: page.jobs.map((j) => this.toWire(j)),
      ...(page.nextToken !== undefined && { nextToken: page.nextToken }),
    };
  }

  private toWire(job: JobRow): GetAsyncInvokeResponse {
    const status = job.status === "Completed" || job.status === "Failed" ? job.status : "InProgress";
    return {
      invocationArn: job.arn,
      modelArn: modelArnOf(job.modelId, this.env.scope),
      ...(job.clientToken !== null && { clientRequestToken: job.clientToken }),
      status,
      ...(job.message !== null && status === "Failed" && { failureMessage: job.message }),
      submitTime: isoTime(job.submitTime),
      lastModifiedTime: isoTime(job.lastModifiedTime),
      ...(job.endTime !== null && { endTime: isoTime(job.endTime) }),
      outputDataConfig: job.request.outputDataConfig as GetAsyncInvokeResponse["outputDataConfig"],
    };
  }
}

