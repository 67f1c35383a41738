"""Drives a fallback model and the response cache with boto3 (HTTP/1.1); prints one JSON object with what it saw.

argv: Basalt URL. The test tells the fake primary upstream to fail before each step that needs it."""
import json
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

url = sys.argv[1]
client = boto3.client(
    "bedrock-runtime", endpoint_url=url, region_name="us-east-1",
    aws_access_key_id="AKIDBASALTTEST", aws_secret_access_key="basalt-test-secret",
    config=Config(retries={"max_attempts": 1}),
)
msgs = lambda text: [{"role": "user", "content": [{"text": text}]}]
out = {}


def converse(text):
    r = client.converse(modelId="chat", messages=msgs(text))
    return {"text": r["output"]["message"]["content"][0]["text"],
            "cache": r["ResponseMetadata"]["HTTPHeaders"].get("x-basalt-cache")}


# 1. the primary answers 500 (queued by the test): the secondary answers
out["fallback"] = converse("boto3 fallback")

# 2. the primary answers 400: the caller's error, not fallen back
try:
    converse("boto3 bad request")
    out["validation"] = None
except ClientError as e:
    out["validation"] = {"code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}

# 3. the same question twice: a miss, then a hit
out["first"] = converse("boto3 cached question")
out["second"] = converse("boto3 cached question")

# 4. a stream twice: the hit decodes as a complete stream
def stream(text):
    r = client.converse_stream(modelId="chat", messages=msgs(text))
    events = list(r["stream"])
    return {"names": [list(e.keys())[0] for e in events],
            "text": "".join(e["contentBlockDelta"]["delta"]["text"] for e in events if "contentBlockDelta" in e),
            "usage": [e["metadata"]["usage"] for e in events if "metadata" in e],
            "cache": r["ResponseMetadata"]["HTTPHeaders"].get("x-basalt-cache")}

out["streamMiss"] = stream("boto3 streamed question")
out["streamHit"] = stream("boto3 streamed question")
print(json.dumps(out))
