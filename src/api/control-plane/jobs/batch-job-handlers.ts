// The batch-inference operations of the control plane, plugged into its door by name (app.ts):
// CreateModelInvocationJob, GetModelInvocationJob, ListModelInvocationJobs, StopModelInvocationJob.
import type { CreateModelInvocationJobRequest, ListModelInvocationJobsRequest } from "../../../jobs/batch-job-types.js";
import type { BatchJobService } from "../../../jobs/batch-job-service.js";
import { integerParam, queryOf } from "../../bedrock/operations/check-params.js";
import { parseJsonBody } from "../../bedrock/parse-json-body.js";
import { sendJson } from "../../bedrock/respond.js";
import type { ControlPlaneDoor, ControlPlaneHandler } from "../control-plane-door.js";
import { validateParams, validateRequest } from "./validate-request.js";

export function createModelInvocationJob(service: BatchJobService): ControlPlaneHandler {
  return async (call) => {
    const input = parseJsonBody(await call.readBody());
    validateRequest("CreateModelInvocationJobRequest", input);
    const request = input as CreateModelInvocationJobRequest;
    call.record.requestedModelId = request.modelId;
    const answer = await service.create(request, call.caller);
    sendJson(call.res, 200, JSON.stringify(answer), { "x-amzn-requestid": call.requestId });
  };
}

export function getModelInvocationJob(service: BatchJobService): ControlPlaneHandler {
  return async (call, labels) => {
    await call.readBody();
    validateParams({ jobIdentifier: ["ModelInvocationJobIdentifier", labels.jobIdentifier] });
    const answer = await service.get(labels.jobIdentifier);
    sendJson(call.res, 200, JSON.stringify(answer), { "x-amzn-requestid": call.requestId });
  };
}

export function listModelInvocationJobs(service: BatchJobService): ControlPlaneHandler {
  return async (call) => {
    await call.readBody();
    const q = queryOf(call.req.url);
    const param = (name: string) => q.get(name) ?? undefined;
    const maxResults = integerParam(q, "maxResults");
    validateParams({
      maxResults: ["MaxResults", maxResults],
      nextToken: ["PaginationToken", param("nextToken")],
      statusEquals: ["ModelInvocationJobStatus", param("statusEquals")],
      nameContains: ["ModelInvocationJobName", param("nameContains")],
      sortBy: ["SortJobsBy", param("sortBy")],
      sortOrder: ["SortOrder", param("sortOrder")],
      submitTimeAfter: ["Timestamp", param("submitTimeAfter")],
      submitTimeBefore: ["Timestamp", param("submitTimeBefore")],
    });
    const input: ListModelInvocationJobsRequest = {
      maxResults,
      nextToken: param("nextToken"),
      statusEquals: param("statusEquals"),
      nameContains: param("nameContains"),
      sortBy: param("sortBy"),
      sortOrder: param("sortOrder") as ListModelInvocationJobsRequest["sortOrder"],
      submitTimeAfter: param("submitTimeAfter"),
      submitTimeBefore: param("submitTimeBefore"),
    };
    const answer = await service.list(input);
    sendJson(call.res, 200, JSON.stringify(answer), { "x-amzn-requestid": call.requestId });
  };
}

export function stopModelInvocationJob(service: BatchJobService): ControlPlaneHandler {
  return async (call, labels) => {
    await call.readBody();
    validateParams({ jobIdentifier: ["ModelInvocationJobIdentifier", labels.jobIdentifier] });
    await service.stop(labels.jobIdentifier);
    sendJson(call.res, 200, "{}", { "x-amzn-requestid": call.requestId });
  };
}

/** Plugs the four operations into the control-plane door. */
export function plugBatchJobs(door: ControlPlaneDoor, service: BatchJobService): void {
  door.handle("CreateModelInvocationJob", createModelInvocationJob(service));
  door.handle("GetModelInvocationJob", getModelInvocationJob(service));
  door.handle("ListModelInvocationJobs", listModelInvocationJobs(service));
  door.handle("StopModelInvocationJob", stopModelInvocationJob(service));
}
