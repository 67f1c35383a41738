"""Drives Basalt with boto3 (HTTP/1.1); prints one JSON object with what it saw."""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, EventStreamError

url = sys.argv[1]
client = boto3.client(
    "bedrock-runtime", endpoint_url=url, region_name="us-east-1",
    aws_access_key_id="AKIDBASALTTEST", aws_secret_access_key="basalt-test-secret",
    config=Config(retries={"max_attempts": 1}),
)
msgs = lambda text: [{"role": "user", "content": [{"text": text}]}]
out = {}

r = client.converse(modelId="basalt.echo", messages=msgs("hello from boto3"), inferenceConfig={"maxTokens": 2})
out["converse"] = {"text": r["output"]["message"]["content"][0]["text"], "stop": r["stopReason"], "usage": r["usage"],
                   "requestId": r["ResponseMetadata"]["RequestId"]}

r = client.converse(modelId="arn:aws:bedrock:us-east-1::foundation-model/basalt.echo",
                    messages=[{"role": "user", "content": [{"text": "pic"}, {"image": {"format": "png", "source": {"bytes": b"\x89PNG" + b"\0" * 63}}}]}])
out["image"] = r["output"]["message"]["content"][0]["text"]

r = client.converse_stream(modelId="basalt.echo", messages=msgs("streamed by boto3"))
out["stream"] = [list(e.keys())[0] for e in r["stream"]]

tools = {"tools": [{"toolSpec": {"name": "get_weather", "inputSchema": {"json": {"type": "object"}}}}]}
r = client.converse(modelId="basalt.echo", messages=msgs('/tool get_weather {"city": "Oslo"}'), toolConfig=tools)
use = r["output"]["message"]["content"][0]["toolUse"]
out["tool"] = {"name": use["name"], "input": use["input"], "stop": r["stopReason"]}

r = client.converse_stream(modelId="basalt.echo", messages=msgs("  spaced   words\nhere"))
out["streamText"] = "".join(e["contentBlockDelta"]["delta"]["text"] for e in r["stream"] if "contentBlockDelta" in e)

r = client.count_tokens(modelId="basalt.echo", input={"converse": {"messages": msgs("one two three")}})
out["count"] = r["inputTokens"]

try:
    client.converse(modelId="basalt.echo", messages=msgs("x"), inferenceConfig={"temperature": 0.5, "topP": 0.5},
                    toolConfig={"tools": [{"toolSpec": {"name": "f", "inputSchema": {"json": {}}}}], "toolChoice": {"tool": {"name": "g"}}})
except ClientError as e:
    out["validation"] = {"code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}

try:
    client.converse(modelId="basalt.echo", messages=msgs("/error ThrottlingException slow down"))
except ClientError as e:
    out["throttling"] = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"],
                         "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}

try:
    r = client.converse_stream(modelId="basalt.echo", messages=msgs("/error-after 2 ThrottlingException mid"))
    for _ in r["stream"]:
        pass
except EventStreamError as e:
    out["streamError"] = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"]}

print(json.dumps(out))
