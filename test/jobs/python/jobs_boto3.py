"""Async invocations and a batch job through boto3 (bedrock-runtime, bedrock, s3) against Basalt and s3rver.

usage: jobs_boto3.py BASALT_URL S3_ENDPOINT BUCKET — prints one JSON object of what it saw.
"""
import json
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

url, s3_endpoint, bucket = sys.argv[1], sys.argv[2], sys.argv[3]
common = dict(region_name="us-east-1", aws_access_key_id="local", aws_secret_access_key="local",
              config=Config(retries={"max_attempts": 1}))
runtime = boto3.client("bedrock-runtime", endpoint_url=url, **common)
control = boto3.client("bedrock", endpoint_url=url, **common)
s3 = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", aws_access_key_id="S3RVER",
                  aws_secret_access_key="S3RVER", config=Config(s3={"addressing_style": "path"}))


def wait(read, final):
    deadline = time.time() + 30
    while True:
        value = read()
        if value["status"] in final or time.time() > deadline:
            return value
        time.sleep(0.05)


def error_code(call):
    try:
        call()
    except ClientError as e:
        return {"code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}
    return None


result = {}
out = {"s3OutputDataConfig": {"s3Uri": f"s3://{bucket}/async"}}
arn = runtime.start_async_invoke(modelId="basalt.echo", modelInput={"inputText": "boto three async"},
                                 outputDataConfig=out, clientRequestToken="boto3-token-1")["invocationArn"]
same = runtime.start_async_invoke(modelId="basalt.echo", modelInput={"inputText": "boto three async"},
                                  outputDataConfig=out, clientRequestToken="boto3-token-1")["invocationArn"]
job = wait(lambda: runtime.get_async_invoke(invocationArn=arn), {"Completed", "Failed"})
body = s3.get_object(Bucket=bucket, Key=f"async/{arn[-12:]}/output.json")["Body"].read()
listed = runtime.list_async_invokes(maxResults=1, sortOrder="Descending")
result["async"] = {
    "arn": arn, "same": same == arn, "status": job["status"], "endTimeType": type(job.get("endTime")).__name__,
    "output": json.loads(body), "listed": [j["invocationArn"] for j in listed["asyncInvokeSummaries"]],
    "hasNextToken": "nextToken" in listed,
    "conflict": error_code(lambda: runtime.start_async_invoke(
        modelId="basalt.echo", modelInput={"inputText": "other"}, outputDataConfig=out, clientRequestToken="boto3-token-1")),
}

records = "\n".join(json.dumps({"recordId": f"B{i}", "modelInput": {"inputText": f"boto record {i}"}}) for i in range(5))
s3.put_object(Bucket=bucket, Key="batch/in.jsonl", Body=records.encode())
job_arn = control.create_model_invocation_job(
    jobName="boto3-batch", roleArn="arn:aws:iam::123456789012:role/r", modelId="basalt.echo",
    inputDataConfig={"s3InputDataConfig": {"s3Uri": f"s3://{bucket}/batch/in.jsonl"}},
    outputDataConfig={"s3OutputDataConfig": {"s3Uri": f"s3://{bucket}/batch/out/"}})["jobArn"]
batch = wait(lambda: control.get_model_invocation_job(jobIdentifier=job_arn),
             {"Completed", "PartiallyCompleted", "Failed", "Stopped"})
lines = s3.get_object(Bucket=bucket, Key=f"batch/out/{job_arn[-12:]}/in.jsonl.out")["Body"].read().decode().splitlines()
manifest = json.loads(s3.get_object(Bucket=bucket, Key=f"batch/out/{job_arn[-12:]}/manifest.json.out")["Body"].read())
jobs = control.list_model_invocation_jobs(nameContains="boto3")["invocationJobSummaries"]
result["batch"] = {
    "status": batch["status"], "counts": [batch["totalRecordCount"], batch["successRecordCount"], batch["errorRecordCount"]],
    "lines": [json.loads(line)["modelOutput"]["outputText"] for line in lines], "manifest": manifest,
    "listed": [j["jobName"] for j in jobs],
    "stopDone": error_code(lambda: control.stop_model_invocation_job(jobIdentifier=job_arn)),
    "missing": error_code(lambda: control.get_model_invocation_job(jobIdentifier="zzzzzzzzzzzz")),
}
print(json.dumps(result))
