"""Drives Basalt's test-double scripts with boto3 (HTTP/1.1, botocore's own event-stream parser); adds the
scripts through /_basalt/scripts and prints one JSON object with what it saw."""
import json
import sys
import time
import urllib.request

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError, EventStreamError

url = sys.argv[1]
client = boto3.client(
    "bedrock-runtime", endpoint_url=url, region_name="us-east-1",
    aws_access_key_id="AKIDBASALTTEST", aws_secret_access_key="basalt-test-secret",
    config=Config(retries={"max_attempts": 1}, read_timeout=10),
)
msgs = lambda text: [{"role": "user", "content": [{"text": text}]}]
out = {}


def add_script(script):
    req = urllib.request.Request(url + "/_basalt/scripts", data=json.dumps(script).encode(), method="POST",
                                 headers={"content-type": "application/json"})
    with urllib.request.urlopen(req) as res:
        assert res.status == 201


answer = json.loads(sys.argv[2])
add_script({"match": {"text": "two cities"}, "respond": answer})
add_script({"match": {"text": "throttle midway"}, "respond": {"content": [{"text": "a b c d e f g h"}]},
            "stream": {"exceptionAfterEvents": {"after": 4, "type": "ThrottlingException", "message": "slow down"}}})
add_script({"match": {"text": "cut midway"}, "respond": {"content": [{"text": "a b c d e f g h"}]}, "stream": {"cutAfterEvents": 4}})
add_script({"match": {"text": "stall midway"}, "respond": {"content": [{"text": "a b c d"}]},
            "stream": {"stallAfterEvents": {"after": 2, "ms": 300}}})
add_script({"match": {"text": "refuse"}, "error": {"type": "ServiceQuotaExceededException", "message": "quota"}})

r = client.converse(modelId="basalt.echo", messages=msgs("weather in two cities"))
out["converse"] = {"content": r["output"]["message"]["content"], "stop": r["stopReason"], "usage": r["usage"]}

r = client.converse_stream(modelId="basalt.echo", messages=msgs("weather in two cities"))
events = list(r["stream"])
out["stream"] = {
    "names": [list(e.keys())[0] for e in events],
    "starts": [e["contentBlockStart"] for e in events if "contentBlockStart" in e],
    "deltas": [e["contentBlockDelta"] for e in events if "contentBlockDelta" in e],
    "stop": [e["messageStop"]["stopReason"] for e in events if "messageStop" in e],
    "usage": [e["metadata"]["usage"] for e in events if "metadata" in e],
}

body = {"anthropic_version": "bedrock-2023-05-31", "max_tokens": 500, "messages": [{"role": "user", "content": "weather in two cities"}]}
r = client.invoke_model(modelId=sys.argv[3], body=json.dumps(body))
out["invoke"] = json.loads(r["body"].read())

seen = []
try:
    for e in client.converse_stream(modelId="basalt.echo", messages=msgs("throttle midway"))["stream"]:
        seen.append(list(e.keys())[0])
    out["exception"] = {"raised": False}
except EventStreamError as e:
    out["exception"] = {"raised": True, "events": len(seen), "code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"]}

seen = []
try:
    for e in client.converse_stream(modelId="basalt.echo", messages=msgs("cut midway"))["stream"]:
        seen.append(list(e.keys())[0])
    out["cut"] = {"raised": False, "events": seen}
except Exception as e:  # botocore surfaces a broken body as a urllib3 / botocore error
    out["cut"] = {"raised": True, "events": len(seen), "type": type(e).__name__}

start = time.monotonic()
times = []
for e in client.converse_stream(modelId="basalt.echo", messages=msgs("stall midway"))["stream"]:
    times.append(time.monotonic() - start)
out["stallGapMs"] = round((times[2] - times[1]) * 1000)

try:
    client.converse(modelId="basalt.echo", messages=msgs("refuse"))
except ClientError as e:
    out["error"] = {"code": e.response["Error"]["Code"], "message": e.response["Error"]["Message"],
                    "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}

print(json.dumps(out))
